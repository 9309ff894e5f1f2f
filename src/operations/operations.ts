import { AgentworkError } from "../core/errors.ts";
import type { ReleaseReply, ReleaseRequest } from "../handlers/handler.ts";
import {
  type CancelReply,
  type DetectReply,
  type EnqueueReply,
  enqueueReply,
  type PruneReply,
  type ResumeReply,
  type RetryReply,
  resumeReply,
  type SyncReply,
} from "./replies.ts";
import type { WorkTarget } from "./work-target.ts";

/** `agentwork enqueue <type> <name> [--priority N] [--force]`. */
export interface EnqueueRequest {
  type: string;
  name: string;
  priority?: number;
  force?: boolean;
}

export interface RetryRequest {
  id?: string;
  failed?: boolean;
}

/**
 * The operations a person can ask for, one implementation for every door: the CLI without a
 * daemon, the daemon's socket, the dashboard. Each checks its input, acts on the target, and
 * answers the JSON the CLI prints.
 */
export const operations = {
  async enqueue(target: WorkTarget, request: EnqueueRequest): Promise<EnqueueReply> {
    const handler = target.handlers.require(request.type);
    if (!handler.newItem) {
      throw new AgentworkError("E_USAGE", `work of type ${request.type} is not queued by hand`, {
        retry: "never",
      });
    }
    return enqueueReply(await target.admit(handler.newItem(request)));
  },

  retry(target: WorkTarget, request: RetryRequest): RetryReply {
    const queue = target.storage.queue;
    const ids = request.failed === true ? queue.admin.failedIds() : [String(request.id ?? "")];
    const reply = { results: ids.map((id) => ({ id, ...queue.retry(id) })) };
    target.wake();
    return reply;
  },

  cancel(target: WorkTarget, id: string): CancelReply {
    return target.cancel(id);
  },

  resume(target: WorkTarget): ResumeReply {
    return resumeReply(target.resume());
  },

  /** Releases held work of every handler that holds some, and queues it. */
  async publish(target: WorkTarget, request: ReleaseRequest): Promise<ReleaseReply> {
    if ((request.all === true) === (request.name !== undefined)) {
      throw new AgentworkError("E_USAGE", "publish: give a session name or --all (not both)", {
        retry: "never",
      });
    }
    const reply: ReleaseReply = { published: [], not_held: [] };
    for (const handler of target.handlers.all()) {
      if (!handler.release) continue;
      const part = await handler.release(request, (item) => target.admit(item));
      reply.published.push(...part.published);
      reply.not_held.push(...part.not_held);
    }
    target.wake();
    return reply;
  },

  prune(target: WorkTarget, olderThanMs: number): PruneReply {
    return target.storage.queue.prune(olderThanMs);
  },

  async detect(target: WorkTarget): Promise<DetectReply> {
    return { queued: await target.detect() };
  },

  sync(target: WorkTarget): SyncReply {
    if (!target.daemon) {
      throw new AgentworkError(
        "E_IPC",
        "no daemon is running for this database; `agentwork daemon --once` processes the queue",
        { retry: "never" },
      );
    }
    return { started: target.wake() };
  },
};
