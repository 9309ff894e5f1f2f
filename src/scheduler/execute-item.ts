import type { Clock } from "../core/clock.ts";
import { AgentworkError, coerceError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { processStartTicks } from "../core/process.ts";
import type { WorkItem } from "../core/work-item.ts";
import type { RunUsage } from "../db/run-store.ts";
import type { Handler } from "../handlers/handler.ts";
import type { Storage } from "../queue/storage.ts";
import { type Runner, RunnerError, type RunResult } from "../runners/runner.ts";
import { pauseEnd } from "../runners/usage-limit.ts";
import type { AgentPause } from "./agent-pause.ts";

/** Why a run was stopped from outside: the daemon shutting down, or an operator's cancel. */
export type StopReason = "shutdown" | "cancel";

export interface ActiveRun {
  item: WorkItem;
  /** The history row of the agent invocation; null until (and unless) the agent is started. */
  runId: number | null;
  startedAt: number;
  abort: AbortController;
  stopReason: StopReason | null;
  pid: number | null;
}

export type Outcome =
  /** `result` is null when the item needed no agent run (finished from what existed). */
  | { kind: "completed"; item: WorkItem; result: RunResult | null; durationMs: number }
  | { kind: "retry" | "failed"; item: WorkItem; error: AgentworkError; durationMs: number }
  /** The account hit its usage limit: the item is back in the queue, its attempt refunded. */
  | { kind: "paused"; item: WorkItem; error: AgentworkError; until: number; durationMs: number }
  | { kind: "interrupted" | "cancelled"; item: WorkItem; durationMs: number };

type Stage = "handler" | "prompt" | "agent" | "result";

export interface ExecuteContext {
  storage: Storage;
  runner: Runner;
  handler: Handler | undefined;
  pause: AgentPause;
  clock: Clock;
  logger: Logger;
  runTimeoutMs: number;
}

/**
 * One attempt of one item: buildPrompt → agent → processResult. The reply's cost is recorded as
 * soon as it arrives; the item's state and its history row then settle in one transaction.
 * Handler errors fail the item at once unless the error says "retry"; runner errors carry their
 * own classification (timeouts retry, auth failures do not, a usage limit pauses).
 */
export async function executeItem(ctx: ExecuteContext, run: ActiveRun): Promise<Outcome> {
  const { storage, clock, logger, handler } = ctx;
  const item = run.item;
  let result: RunResult | null = null;
  let stage: Stage = "handler";
  try {
    if (!handler) {
      throw new AgentworkError("E_HANDLER", `no handler registered for type "${item.type}"`, {
        retry: "never",
      });
    }
    stage = "prompt";
    const request = await handler.buildPrompt(item);
    if (request === null) {
      storage.queue.complete(item);
      return { kind: "completed", item, result: null, durationMs: clock.now() - run.startedAt };
    }
    stage = "agent";
    logger.info(`starting ${item.type} ${item.dedupKey ?? item.id} (attempt ${item.attempts})`);
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: item.attempts,
      workType: item.type,
      target: item.dedupKey ?? item.id,
      startedAt: clock.now(),
    });
    run.runId = runId;
    result = await ctx.runner.run({
      ...request,
      timeoutMs: request.timeoutMs ?? ctx.runTimeoutMs,
      signal: run.abort.signal,
      onSpawn: (pid) => {
        run.pid = pid;
        storage.runs.setPid(runId, pid, processStartTicks(pid));
      },
    });
    storage.runs.recordUsage(runId, usageOf(result, run));
    stage = "result";
    await handler.processResult(item, result);
    storage.transaction(() => {
      storage.queue.complete(item);
      storage.runs.finish(runId, {
        status: "completed",
        finishedAt: clock.now(),
        outcome: "success",
      });
    });
    return { kind: "completed", item, result, durationMs: clock.now() - run.startedAt };
  } catch (thrown) {
    return settleFailure(ctx, run, thrown, stage, result);
  }
}

function usageOf(partial: Partial<RunResult>, run: ActiveRun): RunUsage {
  return {
    exitCode: partial.exitCode ?? null,
    tokensIn: partial.tokensIn ?? 0,
    tokensOut: partial.tokensOut ?? 0,
    costUsd: partial.costUsd ?? null,
    pid: partial.pid ?? run.pid,
  };
}

function settleFailure(
  ctx: ExecuteContext,
  run: ActiveRun,
  thrown: unknown,
  stage: Stage,
  result: RunResult | null,
): Outcome {
  const { storage, clock } = ctx;
  const item = run.item;
  const durationMs = clock.now() - run.startedAt;
  const usage = usageOf(thrown instanceof RunnerError ? thrown.partial : (result ?? {}), run);
  const finishRun = (finish: Parameters<Storage["runs"]["finish"]>[1]) => {
    if (run.runId !== null) storage.runs.finish(run.runId, { ...usage, ...finish });
  };
  if (run.stopReason) {
    const cancelled = run.stopReason === "cancel";
    storage.transaction(() => {
      if (cancelled) storage.queue.cancelRunning(item);
      else storage.queue.requeue(item, { refundAttempt: true });
      finishRun({
        status: "interrupted",
        finishedAt: clock.now(),
        errorCode: "E_AGENT_CANCELLED",
        error: cancelled ? "cancelled by operator" : "stopped by daemon shutdown; requeued",
      });
    });
    return { kind: cancelled ? "cancelled" : "interrupted", item, durationMs };
  }
  const error = classify(thrown, stage);
  if (error.retry === "pause") {
    const until = pauseEnd(error.pauseUntilMs, clock.now());
    storage.transaction(() => {
      storage.queue.requeue(item, { refundAttempt: true });
      ctx.pause.pauseUntil(until, error.message);
      finishRun({
        status: "failed",
        finishedAt: clock.now(),
        errorCode: error.code,
        error: error.message,
      });
    });
    return { kind: "paused", item, error, until, durationMs };
  }
  const updated = storage.transaction(() => {
    const failed = storage.queue.tryFail(item, error);
    finishRun({
      status: failed === null ? "interrupted" : "failed",
      finishedAt: clock.now(),
      errorCode: failed === null ? "E_LEASE_LOST" : error.code,
      error:
        failed === null ? `${error.message} (lease lost: rescued while running)` : error.message,
      ...(failed?.state === "failed" ? { outcome: "failure" as const } : {}),
    });
    return failed;
  });
  // The lease was taken over (rescued) while this attempt ran: the queue already moved on.
  if (updated === null) return { kind: "interrupted", item, durationMs };
  return {
    kind: updated.state === "retry_wait" ? "retry" : "failed",
    item: updated,
    error,
    durationMs,
  };
}

/** Handler code that throws a plain Error is not retried (upstream); runner errors decide. */
function classify(thrown: unknown, stage: Stage): AgentworkError {
  const prefix =
    stage === "prompt" ? "build prompt: " : stage === "result" ? "process result: " : "";
  if (thrown instanceof AgentworkError) {
    if (prefix === "") return thrown;
    return new AgentworkError(thrown.code, `${prefix}${thrown.message}`, {
      retry: thrown.retry,
      retryAfterMs: thrown.retryAfterMs,
      pauseUntilMs: thrown.pauseUntilMs,
      cause: thrown,
    });
  }
  const error = coerceError(thrown, stage === "agent" ? "E_AGENT_FAILED" : "E_HANDLER");
  return new AgentworkError(error.code, `${prefix}${error.message}`, {
    retry: stage === "agent" ? "retry" : "never",
    cause: thrown,
  });
}
