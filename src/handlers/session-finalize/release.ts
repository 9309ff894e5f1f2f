import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../../core/clock.ts";
import { AgentworkError } from "../../core/errors.ts";
import type { Enqueue, ReleaseReply, ReleaseRequest } from "../handler.ts";
import type { SessionFinalizeHandler } from "./handler.ts";
import { releaseHold } from "./held.ts";
import {
  dedupKeyFor,
  MANUAL_PRIORITY,
  SESSION_FINALIZE_TYPE,
  type SessionFinalizePayload,
} from "./types.ts";

/**
 * `agentwork publish <name> | --all`: releases held sessions (removes `.held`, writes `.publish`)
 * and queues each for finalizing through `enqueue` (the operations layer's: the scheduler's when a
 * daemon runs, else the queue's with the model-free exports).
 */
export async function releaseHeld(
  handler: SessionFinalizeHandler,
  ledgerPath: string,
  payload: ReleaseRequest,
  options: { clock: Clock; enqueue: Enqueue<SessionFinalizePayload> },
): Promise<ReleaseReply> {
  await handler.detect(ledgerPath);
  const held = handler.lastDetect.held;
  const reply: ReleaseReply = { published: [], not_held: [] };
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
    // Already queued (a duplicate) is fine: it was released either way.
    await options.enqueue({
      type: SESSION_FINALIZE_TYPE,
      priority: MANUAL_PRIORITY,
      dedupKey: dedupKeyFor(target.session_name),
      payload: target,
    });
    reply.published.push(target.session_name);
  }
  return reply;
}
