import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { isoTime } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import type { EnqueueResult } from "../core/work-item.ts";
import type { AdminResult } from "../db/work-item-admin.ts";
import { heldError } from "../handlers/session-finalize/held-export.ts";
import { newSessionFinalizeItem } from "../handlers/session-finalize/item.ts";
import type { SessionFinalizePayload } from "../handlers/session-finalize/types.ts";
import type { IpcHandler } from "../ipc/server.ts";
import type { WorkQueue } from "../queue/work-queue.ts";
import type { PauseState } from "../scheduler/agent-pause.ts";
import { checkPublishPayload, publishSessions } from "./publish.ts";
import type { Runtime } from "./runtime.ts";

export interface EnqueuePayload {
  type: string;
  name: string;
  priority?: number;
  /** Summarize again although the session has a summary.json. */
  force?: boolean;
}

/** What `agentwork enqueue` reports, with or without a daemon. */
export interface EnqueueReply {
  queued: boolean;
  id?: string;
  reason?: "duplicate" | "full";
  existing_id?: string | null;
}

/**
 * A hand-enqueued item, after checking that the session exists (names are data: a name that is
 * not a session dir with a raw.jsonl is refused, quoted, before anything is queued) and is not
 * held on this machine.
 */
export function enqueueRequest(
  ledgerPath: string,
  payload: EnqueuePayload,
  handler?: { isHeld(payload: SessionFinalizePayload): boolean },
) {
  if (payload.type !== "session-finalize") {
    throw new AgentworkError(
      "E_USAGE",
      `unknown work type ${JSON.stringify(payload.type)}; known types: session-finalize`,
      { retry: "never" },
    );
  }
  const item = newSessionFinalizeItem(ledgerPath, payload.name, {
    ...(payload.priority === undefined ? {} : { priority: payload.priority }),
    force: payload.force === true,
  });
  const dir = item.payload.session_dir;
  if (!isDir(dir) || !existsSync(join(dir, "raw.jsonl"))) {
    throw new AgentworkError(
      "E_NOT_FOUND",
      `no session ${JSON.stringify(payload.name)}: ${isDir(dir) ? `${JSON.stringify(dir)} has no raw.jsonl` : `no directory ${JSON.stringify(dir)}`}`,
      { retry: "never" },
    );
  }
  if (handler?.isHeld(item.payload)) throw heldError(payload.name);
  return item;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function enqueueReply(result: EnqueueResult): EnqueueReply {
  if (result.ok) return { queued: true, id: result.item.id };
  return {
    queued: false,
    reason: result.reason,
    ...(result.reason === "duplicate" ? { existing_id: result.existingId } : {}),
  };
}

export interface RetryPayload {
  id?: string;
  failed?: boolean;
}

export interface RetryReply {
  results: ({ id: string } & AdminResult)[];
}

/** `retry <id>` or `retry --failed`, the same with or without a daemon. */
export function retryItems(queue: WorkQueue, payload: RetryPayload): RetryReply {
  const ids = payload.failed === true ? queue.admin.failedIds() : [String(payload.id ?? "")];
  return { results: ids.map((id) => ({ id, ...queue.retry(id) })) };
}

/** What `agentwork resume` reports, with or without a daemon. */
export interface ResumeReply {
  resumed: boolean;
  /** The end of the pause that was ended early, ISO-8601. */
  was_paused_until: string | null;
}

export function resumeReply(ended: PauseState | null): ResumeReply {
  return { resumed: ended !== null, was_paused_until: ended ? isoTime(ended.until) : null };
}

/** Maps the socket's request types onto the running scheduler. */
export function createIpcHandler(runtime: Runtime, ledgerPath: string): IpcHandler {
  const { scheduler, storage } = runtime;
  return async (request) => {
    const payload = (request.payload ?? {}) as Record<string, unknown>;
    switch (request.type) {
      case "status":
        return scheduler.status();
      case "enqueue": {
        const item = enqueueRequest(
          ledgerPath,
          payload as unknown as EnqueuePayload,
          runtime.handler,
        );
        return enqueueReply(await scheduler.enqueue(item));
      }
      case "detect":
        return { queued: await scheduler.forceDetect() };
      case "sync":
        return { started: scheduler.sync() };
      case "retry": {
        const reply = retryItems(storage.queue, payload as RetryPayload);
        scheduler.sync();
        return reply;
      }
      case "cancel":
        return scheduler.cancel(String(payload.id ?? ""));
      case "resume":
        return resumeReply(scheduler.resume());
      case "publish":
        return publishSessions(runtime.handler, ledgerPath, checkPublishPayload(payload), {
          clock: runtime.clock,
          enqueue: (item) => scheduler.enqueue(item),
        });
    }
  };
}
