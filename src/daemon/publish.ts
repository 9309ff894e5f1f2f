import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../core/clock.ts";
import { AgentworkError } from "../core/errors.ts";
import type { EnqueueResult, NewWorkItem, WorkItem } from "../core/work-item.ts";
import type { SessionFinalizeHandler } from "../handlers/session-finalize/handler.ts";
import { releaseHold } from "../handlers/session-finalize/held.ts";
import {
  dedupKeyFor,
  MANUAL_PRIORITY,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "../handlers/session-finalize/types.ts";

export interface PublishPayload {
  name?: string;
  all?: boolean;
}

/** What `agentwork publish` reports, with or without a daemon. */
export interface PublishReply {
  /** Released and queued for summarizing, committing and pushing. */
  published: string[];
  /** Named, but not held (already published or never held). */
  not_held: string[];
}

export function checkPublishPayload(payload: unknown): PublishPayload {
  const p = (payload ?? {}) as Record<string, unknown>;
  const all = p.all === true;
  if (p.all !== undefined && typeof p.all !== "boolean")
    throw badPublish("`all` must be true or false");
  if (p.name !== undefined && typeof p.name !== "string")
    throw badPublish("`name` must be a string");
  if (all === (p.name !== undefined)) throw badPublish("give a session name or --all (not both)");
  return all ? { all } : { name: p.name as string };
}

function badPublish(why: string): AgentworkError {
  return new AgentworkError("E_USAGE", `publish: ${why}`, { retry: "never" });
}

/**
 * `agentwork publish <name> | --all`: releases held sessions (removes `.held`, writes `.publish`)
 * and queues each for finalizing. The same code runs in the daemon (over the socket) and in the
 * CLI when no daemon runs; `enqueue` is the scheduler's or the queue's.
 */
export async function publishSessions(
  handler: SessionFinalizeHandler,
  ledgerPath: string,
  payload: PublishPayload,
  options: {
    clock: Clock;
    enqueue: (
      item: NewWorkItem<SessionFinalizePayload>,
    ) => Promise<EnqueueResult<SessionFinalizePayload>>;
    prepare?: (item: WorkItem<SessionFinalizePayload>) => Promise<void>;
  },
): Promise<PublishReply> {
  await handler.detect(ledgerPath);
  const held = handler.lastDetect.held;
  const reply: PublishReply = { published: [], not_held: [] };
  const targets = payload.all ? held : held.filter((h) => h.session_name === payload.name);
  if (payload.name !== undefined && targets.length === 0) {
    if (!existsSync(join(ledgerPath, "sessions", payload.name)))
      throw new AgentworkError(
        "E_NOT_FOUND",
        `no session named ${JSON.stringify(payload.name)} in ${join(ledgerPath, "sessions")}`,
        { retry: "never" },
      );
    reply.not_held.push(payload.name);
    return reply;
  }
  for (const target of targets) {
    const dirs = [target.session_dir, ...(target.source_dir ? [target.source_dir] : [])];
    releaseHold(dirs, options.clock.now());
    const result = await options.enqueue({
      type: SESSION_FINALIZE_TYPE,
      priority: MANUAL_PRIORITY,
      dedupKey: dedupKeyFor(target.session_name),
      payload: target,
    });
    if (result.ok) await options.prepare?.(result.item);
    reply.published.push(target.session_name);
  }
  return reply;
}
