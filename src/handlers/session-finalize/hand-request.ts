import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import type { NewWorkItem } from "../../core/work-item.ts";
import type { HandRequest } from "../handler.ts";
import { heldError } from "./held-export.ts";
import { newSessionFinalizeItem } from "./item.ts";
import type { SessionFinalizePayload } from "./types.ts";

/**
 * A hand-enqueued item, after checking that the session exists (names are data: a name that is
 * not a session dir with a raw.jsonl is refused, quoted, before anything is queued) and is not
 * held on this machine.
 */
export function handRequestItem(
  ledgerPath: string,
  request: HandRequest,
  isHeld: (payload: SessionFinalizePayload) => boolean,
): NewWorkItem<SessionFinalizePayload> {
  const item = newSessionFinalizeItem(ledgerPath, request.name, {
    ...(request.priority === undefined ? {} : { priority: request.priority }),
    force: request.force === true,
  });
  const dir = item.payload.session_dir;
  if (!isDir(dir) || !existsSync(join(dir, "raw.jsonl"))) {
    throw new AgentworkError(
      "E_NOT_FOUND",
      `no session ${JSON.stringify(request.name)}: ${isDir(dir) ? `${JSON.stringify(dir)} has no raw.jsonl` : `no directory ${JSON.stringify(dir)}`}`,
      { retry: "never" },
    );
  }
  if (isHeld(item.payload)) throw heldError(request.name);
  return item;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
