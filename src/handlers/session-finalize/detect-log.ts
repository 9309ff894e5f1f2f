import type { Logger } from "../../core/logger.ts";
import type { NewWorkItem } from "../../core/work-item.ts";
import type { RefusedEntry, SessionFinalizePayload } from "./types.ts";

/** Names shown in a pass's summary line; the rest are counted. */
export const NAMES_SHOWN = 5;

function someNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  const more = names.length - NAMES_SHOWN;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/**
 * One detection pass in at most three log lines, whatever the ledger's size: how many sessions
 * need finalizing (with the first few names), how many were refused (with the first few reasons),
 * and the total. A 20,000-session ledger used to write 20,000 lines per pass. Each session's own
 * line is still there at debug level (--verbose).
 */
export function logDetection(
  log: Logger,
  ledgerPath: string,
  items: readonly NewWorkItem<SessionFinalizePayload>[],
  refused: readonly RefusedEntry[],
): void {
  if (items.length > 0) {
    const names = items.map((item) => item.payload.session_name);
    log.info(`session-finalize: ${items.length} session(s) need finalizing: ${someNames(names)}`);
  }
  if (refused.length > 0) {
    const reasons = refused.map((r) => `${r.path}: ${r.reason}`);
    log.warn(`session-finalize: refused ${refused.length} session dir(s): ${someNames(reasons)}`);
  }
  log.info(
    `session-finalize: detection in ${ledgerPath} found ${items.length} session(s) to finalize`,
  );
}
