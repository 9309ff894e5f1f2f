import type { ReleaseRequest } from "../handlers/handler.ts";
import type { IpcHandler } from "../ipc/server.ts";
import { type EnqueueRequest, operations, type RetryRequest } from "../operations/operations.ts";
import { daemonTarget } from "../operations/work-target.ts";
import type { Runtime } from "./runtime.ts";

/**
 * The socket's requests, mapped onto the operations layer with the running scheduler as target
 * (field types were checked by ipc/request-fields.ts before this runs).
 */
export function createIpcHandler(runtime: Runtime): IpcHandler {
  const { scheduler, storage } = runtime;
  const target = daemonTarget(scheduler, storage);
  return async (request) => {
    const payload = (request.payload ?? {}) as Record<string, unknown>;
    switch (request.type) {
      case "status":
        return scheduler.status();
      case "enqueue":
        return operations.enqueue(target, payload as unknown as EnqueueRequest);
      case "detect":
        return operations.detect(target);
      case "sync":
        return operations.sync(target);
      case "retry":
        return operations.retry(target, payload as RetryRequest);
      case "cancel":
        return operations.cancel(target, String(payload.id ?? ""));
      case "resume":
        return operations.resume(target);
      case "publish":
        return operations.publish(target, payload as ReleaseRequest);
    }
  };
}
