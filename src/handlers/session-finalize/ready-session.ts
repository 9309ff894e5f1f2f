import { existsSync } from "node:fs";
import { doNotRetry } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { RedactionCounts } from "../../core/redaction/redactor.ts";
import { importSession } from "./import-session.ts";
import { checkPayload } from "./payload.ts";
import type { RawRedactionGuard } from "./redact-raw.ts";
import { describeCounts } from "./redact-run.ts";
import type { SessionFinalizePayload } from "./types.ts";

export type ReadySession = SessionFinalizePayload & {
  /** Marks the redacted raw.jsonl holds, by kind. */
  redactions: RedactionCounts;
};

/**
 * A queued payload made ready to read: checked, its session copied into the ledger (redacted on
 * the way in) when it came from a scan dir, and its raw.jsonl redacted in place. Every handler
 * step starts here, so nothing reads an unredacted transcript.
 */
export async function readySession(
  raw: unknown,
  options: {
    ledgerPath: string;
    scanDirs: string[];
    redaction: RawRedactionGuard;
    logger: Logger;
  },
): Promise<ReadySession> {
  const payload = checkPayload(raw, { ledgerPath: options.ledgerPath, scanDirs: options.scanDirs });
  const copied = await importSession(payload, options.redaction.redactor);
  if (copied.length > 0)
    options.logger.info(
      `session-finalize: copied ${payload.session_name} into the ledger (${copied.join(", ")})`,
    );
  if (!existsSync(payload.raw_path)) {
    throw doNotRetry(
      "E_SESSION_READ",
      `session ${payload.session_name} has no raw.jsonl at ${payload.raw_path}`,
    );
  }
  const redacted = await options.redaction.ensure(payload.raw_path);
  if (redacted.changed)
    options.logger.info(
      `session-finalize: redacted ${payload.session_name}'s raw.jsonl (${describeCounts(redacted.found)})`,
    );
  return { ...payload, redactions: redacted.marks };
}
