import { existsSync } from "node:fs";
import { join } from "node:path";
import type { AgentworkError } from "../../core/errors.ts";
import { doNotRetry } from "../../core/errors.ts";
import type { DetectContext } from "./detect.ts";
import { exportSession } from "./export.ts";
import type { RawRedactionGuard } from "./redact-raw.ts";
import { RAW_FILE, type SessionFinalizePayload } from "./types.ts";

/**
 * Held sessions get their model-free exports (redacted first) and nothing else: no item, no
 * summary, no commit. Only sessions inside the ledger are exported; a held session in an outside
 * scan dir is left where it is (nothing is written outside the ledger). Returns the names.
 */
export async function exportHeld(
  held: SessionFinalizePayload[],
  redaction: RawRedactionGuard,
  ctx: DetectContext,
): Promise<SessionFinalizePayload[]> {
  for (const { session_name: name, session_dir: dir, source_dir } of held) {
    if (source_dir || existsSync(join(dir, "session.md"))) continue;
    try {
      await redaction.ensure(join(dir, RAW_FILE));
      await exportSession(dir, { clock: ctx.clock, logger: ctx.logger, name });
    } catch (error) {
      ctx.logger.warn(`session-finalize: exports of held session ${name} failed: ${String(error)}`);
    }
  }
  if (held.length > 0)
    ctx.logger.info(
      `session-finalize: ${held.length} held session(s) kept local until \`agentwork publish\`: ${held
        .slice(0, 5)
        .map((h) => h.session_name)
        .join(", ")}${held.length > 5 ? ", ..." : ""}`,
    );
  return held;
}

export function heldError(name: string): AgentworkError {
  return doNotRetry(
    "E_SESSION_HELD",
    `session ${JSON.stringify(name)} is held on this machine; \`agentwork publish ${name}\` releases it`,
  );
}
