import type { Clock } from "../core/clock.ts";
import { AgentworkError, coerceError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { Storage } from "../db/storage.ts";
import type { Handler } from "../handlers/handler.ts";
import type { WorkItem } from "../queue/work-item.ts";
import { type Runner, RunnerError, type RunResult } from "../runners/runner.ts";

/** Why a run was stopped from outside: the daemon shutting down, or an operator's cancel. */
export type StopReason = "shutdown" | "cancel";

export interface ActiveRun {
  item: WorkItem;
  runId: number;
  startedAt: number;
  abort: AbortController;
  stopReason: StopReason | null;
  pid: number | null;
}

export type Outcome =
  | { kind: "completed"; item: WorkItem; result: RunResult; durationMs: number }
  | { kind: "retry" | "failed"; item: WorkItem; error: AgentworkError; durationMs: number }
  | { kind: "interrupted" | "cancelled"; item: WorkItem; durationMs: number };

export interface ExecuteContext {
  storage: Storage;
  runner: Runner;
  handler: Handler | undefined;
  clock: Clock;
  logger: Logger;
  runTimeoutMs: number;
}

/**
 * One attempt of one item: buildPrompt → agent → processResult, with every outcome
 * written to run history and the queue. Handler errors fail the item at once unless the error says
 * "retry"; runner errors carry their own classification (timeouts retry, auth failures do not).
 */
export async function executeItem(ctx: ExecuteContext, run: ActiveRun): Promise<Outcome> {
  const { storage, clock, logger, handler } = ctx;
  const item = run.item;
  let result: RunResult | null = null;
  let stage: "handler" | "prompt" | "agent" | "result" = "handler";
  try {
    if (!handler) {
      throw new AgentworkError("E_HANDLER", `no handler registered for type "${item.type}"`, {
        retry: "never",
      });
    }
    stage = "prompt";
    const request = await handler.buildPrompt(item);
    stage = "agent";
    logger.info(`starting ${item.type} ${item.dedupKey ?? item.id} (attempt ${item.attempts})`);
    result = await ctx.runner.run({
      ...request,
      timeoutMs: request.timeoutMs ?? ctx.runTimeoutMs,
      signal: run.abort.signal,
      onSpawn: (pid) => {
        run.pid = pid;
        storage.runs.setPid(run.runId, pid);
      },
    });
    stage = "result";
    await handler.processResult(item, result);
    storage.queue.complete(item);
    const durationMs = clock.now() - run.startedAt;
    storage.runs.finish(run.runId, {
      status: "completed",
      finishedAt: clock.now(),
      exitCode: result.exitCode,
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
      costUsd: result.costUsd,
      pid: result.pid,
      outcome: "success",
    });
    return { kind: "completed", item, result, durationMs };
  } catch (thrown) {
    return settleFailure(ctx, run, thrown, stage, result);
  }
}

function settleFailure(
  ctx: ExecuteContext,
  run: ActiveRun,
  thrown: unknown,
  stage: "handler" | "prompt" | "agent" | "result",
  result: RunResult | null,
): Outcome {
  const { storage, clock } = ctx;
  const item = run.item;
  const durationMs = clock.now() - run.startedAt;
  const partial = thrown instanceof RunnerError ? thrown.partial : (result ?? {});
  const usage = {
    exitCode: partial.exitCode ?? null,
    tokensIn: partial.tokensIn ?? 0,
    tokensOut: partial.tokensOut ?? 0,
    costUsd: partial.costUsd ?? null,
    pid: partial.pid ?? run.pid,
  };
  if (run.stopReason) {
    const cancelled = run.stopReason === "cancel";
    if (cancelled) storage.queue.cancelRunning(item);
    else storage.queue.requeue(item, { refundAttempt: true });
    storage.runs.finish(run.runId, {
      status: "interrupted",
      finishedAt: clock.now(),
      errorCode: "E_AGENT_CANCELLED",
      error: cancelled ? "cancelled by operator" : "stopped by daemon shutdown; requeued",
      ...usage,
    });
    return { kind: cancelled ? "cancelled" : "interrupted", item, durationMs };
  }
  const error = classify(thrown, stage);
  let updated: WorkItem;
  try {
    updated = storage.queue.fail(item, error);
  } catch (leaseError) {
    // The lease was taken over (rescued) while this attempt ran: the queue already moved on.
    if (!(leaseError instanceof AgentworkError && leaseError.code === "E_INVALID_STATE")) {
      throw leaseError;
    }
    storage.runs.finish(run.runId, {
      status: "interrupted",
      finishedAt: clock.now(),
      errorCode: "E_LEASE_LOST",
      error: `${error.message} (lease lost: ${leaseError.message})`,
      ...usage,
    });
    return { kind: "interrupted", item, durationMs };
  }
  storage.runs.finish(run.runId, {
    status: "failed",
    finishedAt: clock.now(),
    errorCode: error.code,
    error: error.message,
    ...usage,
    ...(updated.state === "failed" ? { outcome: "failure" as const } : {}),
  });
  return {
    kind: updated.state === "retry_wait" ? "retry" : "failed",
    item: updated,
    error,
    durationMs,
  };
}

/** Handler code that throws a plain Error is not retried (upstream); runner errors decide. */
function classify(
  thrown: unknown,
  stage: "handler" | "prompt" | "agent" | "result",
): AgentworkError {
  if (thrown instanceof AgentworkError) {
    if (stage === "prompt" || stage === "result") {
      const prefix = stage === "prompt" ? "build prompt" : "process result";
      return new AgentworkError(thrown.code, `${prefix}: ${thrown.message}`, {
        retry: thrown.retry,
        retryAfterMs: thrown.retryAfterMs,
        cause: thrown,
      });
    }
    return thrown;
  }
  const error = coerceError(thrown, stage === "agent" ? "E_AGENT_FAILED" : "E_HANDLER");
  const prefix =
    stage === "prompt" ? "build prompt: " : stage === "result" ? "process result: " : "";
  return new AgentworkError(error.code, `${prefix}${error.message}`, {
    retry: stage === "agent" ? "retry" : "never",
    cause: thrown,
  });
}
