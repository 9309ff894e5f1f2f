import { join } from "node:path";
import { readRegularFileSync } from "../core/regular-file.ts";
import { SESSION_CSP } from "../handlers/session-finalize/artifacts/session-html.ts";
import { sessionNameProblem } from "../handlers/session-finalize/paths.ts";

const MAX_FILE_BYTES = 256 * 1024 * 1024;

const FILES: Record<string, { type: string; csp: string }> = {
  // session.html keeps its own policy (inline styles only), sandboxed: no script, no forms.
  "session.html": { type: "text/html; charset=utf-8", csp: `${SESSION_CSP}; sandbox` },
  "summary.md": { type: "text/plain; charset=utf-8", csp: "default-src 'none'; sandbox" },
};

/**
 * A session's session.html or summary.md from the ledger, or null when the name, the file or the
 * path is not one we serve (no symlink out of the session, no FIFO, bounded size).
 */
export function ledgerFile(ledger: string, name: string, file: string): Response | null {
  const kind = FILES[file];
  if (!kind || sessionNameProblem(name) !== null) return null;
  const dir = join(ledger, "sessions", name);
  let body: string;
  try {
    body = readRegularFileSync(join(dir, file), { within: dir, maxBytes: MAX_FILE_BYTES });
  } catch {
    return null;
  }
  return new Response(body, {
    headers: { "content-type": kind.type, "content-security-policy": kind.csp },
  });
}
