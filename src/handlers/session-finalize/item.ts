import { join } from "node:path";
import type { NewWorkItem } from "../../core/work-item.ts";
import { assertSessionName } from "./paths.ts";
import {
  dedupKeyFor,
  MANUAL_PRIORITY,
  RAW_FILE,
  REQUIRED_ARTIFACTS,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "./types.ts";

/**
 * A finalize item for `<ledger>/sessions/<name>` (what `agentwork enqueue session-finalize
 * <name>` queues). Refuses unsafe names with a non-retryable E_UNSAFE_PATH error; whether the
 * session exists is checked when it runs. All artifacts count as missing; a session that has a
 * summary.json keeps it unless `force` asks the agent again.
 */
export function newSessionFinalizeItem(
  ledgerPath: string,
  name: string,
  options: { priority?: number; force?: boolean } = {},
): NewWorkItem<SessionFinalizePayload> {
  assertSessionName(name);
  const sessionDir = join(ledgerPath, "sessions", name);
  return {
    type: SESSION_FINALIZE_TYPE,
    priority: options.priority ?? MANUAL_PRIORITY,
    dedupKey: dedupKeyFor(name),
    payload: {
      session_name: name,
      session_dir: sessionDir,
      raw_path: join(sessionDir, RAW_FILE),
      missing: [...REQUIRED_ARTIFACTS],
      ledger_path: ledgerPath,
      ...(options.force === true ? { force: true } : {}),
    },
  };
}
