import { createHash } from "node:crypto";
import type { SourceKind } from "../config/config.ts";

/**
 * The ledger dir of an imported session: start time (UTC, to the minute), user, agent and a
 * short id, e.g. `2026-03-14T08-15-dana-claude-1f0c9a2e`. The short id comes from the CLI's
 * session id (its first 8 letters and digits) or, lacking one, from the source path; `extra`
 * lengthens it when two sessions would share a name.
 */
export function importedSessionName(input: {
  startedAtMs: number;
  user: string;
  kind: SourceKind;
  sessionId: string | null;
  path: string;
  extra?: number;
}): string {
  const when = new Date(input.startedAtMs).toISOString().slice(0, 16).replace(":", "-");
  const fromId = (input.sessionId ?? "").replace(/[^A-Za-z0-9]/g, "");
  const hashed = createHash("sha256").update(input.path).digest("hex");
  const base = fromId.length >= 8 ? fromId : hashed;
  const length = 8 + (input.extra ?? 0) * 4;
  const short = (base.length >= length ? base : `${base}${hashed}`).slice(0, length);
  return `${when}-${input.user}-${input.kind}-${short}`;
}
