import type { NewWorkItem, WorkItem } from "../queue/work-item.ts";
import type { RunRequest, RunResult } from "../runners/runner.ts";

export interface CleanupReport {
  /** Human-readable notes of what cleanup changed (ghosts removed, pushes retried). */
  actions: string[];
}

/**
 * A kind of background work. The scheduler calls, per doctor pass: cleanup (always, even when
 * disabled), detect (subject to a per-type cooldown), then for each claimed item buildPrompt,
 * the runner, and processResult. Errors thrown from these carry a retry disposition
 * (see core/errors.ts): buildPrompt/processResult errors are not retried unless they say so.
 */
export interface Handler<P = unknown> {
  readonly type: string;
  /** Finds work in the ledger. Returned items are enqueued with dedup. */
  detect(ledgerPath: string): Promise<NewWorkItem<P>[]>;
  /**
   * Work that needs no agent, run once when an item is queued, even when no agent is installed:
   * e.g. session.md/session.html exports. Must be idempotent.
   */
  prepare?(item: WorkItem<P>): Promise<void>;
  buildPrompt(item: WorkItem<P>): Promise<RunRequest>;
  processResult(item: WorkItem<P>, result: RunResult): Promise<void>;
  /** Housekeeping that needs no agent: ghost removal, retrying pushes that failed earlier. */
  cleanup?(ledgerPath: string): Promise<CleanupReport>;
}
