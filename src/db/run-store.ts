import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { OpenedDatabase } from "./open-database.ts";
import { type RUN_STATUSES, runs, stats, workItems } from "./schema.ts";
import { activeRuns, cumulativeStats, recentRuns } from "./status-reads.ts";
import type { WorkItemStore } from "./work-item-store.ts";

export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRecord {
  id: number;
  itemId: string | null;
  attempt: number;
  pid: number | null;
  workType: string;
  target: string;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  exitCode: number | null;
  errorCode: string | null;
  error: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  durationMs: number | null;
}

export interface RunStart {
  itemId: string;
  attempt: number;
  workType: string;
  target: string;
  startedAt: number;
}

export interface RunFinish {
  status: Exclude<RunStatus, "running">;
  finishedAt: number;
  exitCode?: number | null;
  errorCode?: string | null;
  error?: string | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number | null;
  pid?: number | null;
  /** Set when this attempt settled the item for good; counts toward successes/failures. */
  outcome?: "success" | "failure";
}

export type RunUsage = Pick<RunFinish, "exitCode" | "tokensIn" | "tokensOut" | "costUsd" | "pid">;

export interface CumulativeStats {
  totalInvocations: number;
  successes: number;
  failures: number;
  agentRuns: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

/** Run history (one row per agent invocation) and the cumulative stats row. */
export class RunStore {
  constructor(
    private readonly db: OpenedDatabase,
    private readonly store: WorkItemStore,
  ) {}

  start(run: RunStart): number {
    return this.store.write(
      () =>
        this.db.orm
          .insert(runs)
          .values({ ...run, status: "running" })
          .returning({ id: runs.id })
          .get().id,
    );
  }

  /** The agent's pid and when that process started (so a reused pid is never taken for it). */
  setPid(runId: number, pid: number, startTicks: number | null = null): void {
    this.store.write(() =>
      this.db.orm
        .update(runs)
        .set({ pid, pidStartTicks: startTicks })
        .where(eq(runs.id, runId))
        .run(),
    );
  }

  /**
   * What the agent's reply cost, written as soon as the reply arrives: whatever fails after it
   * (a full disk, a crash, a failing hook), history and stats keep the tokens that were paid for.
   */
  recordUsage(runId: number, usage: RunUsage): void {
    this.store.write(() =>
      this.db.orm
        .update(runs)
        .set({
          exitCode: usage.exitCode ?? null,
          tokensIn: usage.tokensIn ?? 0,
          tokensOut: usage.tokensOut ?? 0,
          costUsd: usage.costUsd ?? null,
          ...(usage.pid ? { pid: usage.pid } : {}),
        })
        .where(and(eq(runs.id, runId), eq(runs.status, "running")))
        .run(),
    );
  }

  /**
   * Closes a run and adds it to the cumulative stats in the same transaction. Usage not given
   * here is what recordUsage stored.
   */
  finish(runId: number, finish: RunFinish): void {
    this.store.write(() => {
      const open = this.db.orm
        .select({
          startedAt: runs.startedAt,
          exitCode: runs.exitCode,
          tokensIn: runs.tokensIn,
          tokensOut: runs.tokensOut,
          costUsd: runs.costUsd,
        })
        .from(runs)
        .where(and(eq(runs.id, runId), eq(runs.status, "running")))
        .get();
      if (!open) return;
      finish = {
        ...finish,
        exitCode: finish.exitCode ?? open.exitCode,
        tokensIn: finish.tokensIn || open.tokensIn,
        tokensOut: finish.tokensOut || open.tokensOut,
        costUsd: finish.costUsd ?? open.costUsd,
      };
      this.db.orm
        .update(runs)
        .set({
          status: finish.status,
          finishedAt: finish.finishedAt,
          durationMs: Math.max(0, finish.finishedAt - open.startedAt),
          exitCode: finish.exitCode ?? null,
          errorCode: finish.errorCode ?? null,
          error: finish.error ?? null,
          tokensIn: finish.tokensIn ?? 0,
          tokensOut: finish.tokensOut ?? 0,
          costUsd: finish.costUsd ?? null,
          ...(finish.pid ? { pid: finish.pid } : {}),
        })
        .where(eq(runs.id, runId))
        .run();
      const success = finish.outcome === "success" ? 1 : 0;
      const failure = finish.outcome === "failure" ? 1 : 0;
      this.db.orm
        .update(stats)
        .set({
          totalInvocations: sql`${stats.totalInvocations} + ${success + failure}`,
          successes: sql`${stats.successes} + ${success}`,
          failures: sql`${stats.failures} + ${failure}`,
          agentRuns: sql`${stats.agentRuns} + 1`,
          tokensIn: sql`${stats.tokensIn} + ${finish.tokensIn ?? 0}`,
          tokensOut: sql`${stats.tokensOut} + ${finish.tokensOut ?? 0}`,
          costUsd: sql`${stats.costUsd} + ${finish.costUsd ?? 0}`,
        })
        .where(eq(stats.id, 1))
        .run();
    });
  }

  /**
   * Runs left open by a process that died (kill -9) are closed as interrupted. Returns the agent
   * processes they recorded, so the caller can stop any that still run.
   */
  interruptOpenRuns(
    itemIds: string[],
    finishedAt: number,
    reason: string,
  ): { pid: number; startTicks: number }[] {
    if (itemIds.length === 0) return [];
    const open = this.store.read(() =>
      this.db.orm
        .select({ id: runs.id, pid: runs.pid, startTicks: runs.pidStartTicks })
        .from(runs)
        .where(and(eq(runs.status, "running"), inArray(runs.itemId, itemIds)))
        .all(),
    );
    for (const run of open) {
      this.finish(run.id, {
        status: "interrupted",
        finishedAt,
        errorCode: "E_LEASE_LOST",
        error: reason,
      });
    }
    return open.flatMap((run) =>
      run.pid !== null && run.startTicks !== null
        ? [{ pid: run.pid, startTicks: run.startTicks }]
        : [],
    );
  }

  /**
   * Run rows left `running` although their item is not (a crash between two writes of an older
   * version, or an item settled by hand) are closed as interrupted. Called at daemon start.
   */
  interruptOrphans(finishedAt: number): number {
    const orphans = this.store.read(() =>
      this.db.orm
        .select({ id: runs.id })
        .from(runs)
        .leftJoin(workItems, eq(workItems.id, runs.itemId))
        .where(
          and(
            eq(runs.status, "running"),
            or(
              isNull(workItems.id),
              ne(workItems.state, "running"),
              ne(workItems.attempts, runs.attempt),
            ),
          ),
        )
        .all(),
    );
    for (const run of orphans) {
      this.finish(run.id, {
        status: "interrupted",
        finishedAt,
        errorCode: "E_LEASE_LOST",
        error: "the run's item was no longer running (left open by an earlier crash)",
      });
    }
    return orphans.length;
  }

  // The three reads every `status` makes: raw statements shared with the status storage.
  recent(limit: number): RunRecord[] {
    return this.store.read(() => recentRuns(this.db.sqlite, limit));
  }

  active(): RunRecord[] {
    return this.store.read(() => activeRuns(this.db.sqlite));
  }

  stats(): CumulativeStats {
    return this.store.read(() => cumulativeStats(this.db.sqlite));
  }
}
