import type { TypedEmitter } from "../core/events.ts";
import type { Logger } from "../core/logger.ts";
import type { Outcome } from "./execute-item.ts";
import type { SchedulerEvents, WorkResult } from "./scheduler-events.ts";

export interface OutcomeListeners {
  logger: Logger;
  events: TypedEmitter<SchedulerEvents>;
  onComplete: ((result: WorkResult) => void) | null;
}

/**
 * Tells the world how one attempt ended: a log line, an event tests can wait on, and, for final
 * outcomes (success, or a failure that will not be retried), the embedder's onComplete callback.
 */
export function reportOutcome(outcome: Outcome, runId: number | null, to: OutcomeListeners): void {
  const key = outcome.item.dedupKey ?? outcome.item.id;
  switch (outcome.kind) {
    case "completed":
      to.logger.success(
        `completed ${key} ${outcome.result === null ? "without an agent run (from what exists)" : `in ${Math.round(outcome.durationMs / 1000)}s`}`,
      );
      to.events.emit("job:completed", { item: outcome.item, runId, result: outcome.result });
      notify(to, {
        item: outcome.item,
        success: true,
        ...(outcome.result ? { output: outcome.result.output } : {}),
        durationMs: outcome.durationMs,
      });
      return;
    case "paused":
      to.events.emit("job:paused", {
        item: outcome.item,
        error: outcome.error,
        until: outcome.until,
      });
      return;
    case "retry":
      to.logger.warn(
        `${key}: attempt ${outcome.item.attempts} failed, will retry: ${outcome.error.message}`,
      );
      to.events.emit("job:retry", { item: outcome.item, error: outcome.error });
      return;
    case "failed":
      to.logger.error(`${key}: failed: ${outcome.error.message}`);
      to.events.emit("job:failed", { item: outcome.item, error: outcome.error });
      notify(to, {
        item: outcome.item,
        success: false,
        durationMs: outcome.durationMs,
        error: outcome.error,
      });
      return;
    case "interrupted":
      to.events.emit("job:interrupted", { item: outcome.item });
      return;
    case "cancelled":
      to.events.emit("job:cancelled", { item: outcome.item });
      return;
  }
}

/** The callback is the embedder's code: its failure is logged, never allowed to break a run. */
function notify(to: OutcomeListeners, result: WorkResult): void {
  try {
    to.onComplete?.(result);
  } catch (error) {
    to.logger.warn(`onComplete callback failed: ${(error as Error).message}`);
  }
}
