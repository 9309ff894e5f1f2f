import { AgentworkError } from "../core/errors.ts";
import { newSessionFinalizeItem } from "../handlers/session-finalize/item.ts";
import type { IpcHandler } from "../ipc/server.ts";
import type { Runtime } from "./runtime.ts";

export interface EnqueuePayload {
  type: string;
  name: string;
  priority?: number;
}

/** What `agentwork enqueue` reports, with or without a daemon. */
export interface EnqueueReply {
  queued: boolean;
  id?: string;
  reason?: "duplicate" | "full";
  existing_id?: string | null;
}

export function enqueueRequest(ledgerPath: string, payload: EnqueuePayload) {
  if (payload.type !== "session-finalize") {
    throw new AgentworkError(
      "E_USAGE",
      `unknown work type "${payload.type}"; known types: session-finalize`,
      { retry: "never" },
    );
  }
  return newSessionFinalizeItem(ledgerPath, payload.name, {
    ...(payload.priority === undefined ? {} : { priority: payload.priority }),
  });
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
        const item = enqueueRequest(ledgerPath, payload as unknown as EnqueuePayload);
        const result = await scheduler.enqueue(item);
        const reply: EnqueueReply = result.ok
          ? { queued: true, id: result.item.id }
          : {
              queued: false,
              reason: result.reason,
              ...(result.reason === "duplicate" ? { existing_id: result.existingId } : {}),
            };
        return reply;
      }
      case "detect":
        return { queued: await scheduler.forceDetect() };
      case "sync":
        return { started: scheduler.sync() };
      case "retry": {
        const ids =
          payload.failed === true ? storage.queue.admin.failedIds() : [String(payload.id ?? "")];
        const results = ids.map((id) => ({ id, ...storage.queue.retry(id) }));
        scheduler.sync();
        return { results };
      }
      case "cancel":
        return scheduler.cancel(String(payload.id ?? ""));
    }
  };
}
