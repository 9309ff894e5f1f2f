import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { OpenedDatabase } from "./open-database.ts";
import { type RUN_STATUSES, runs, stats } from "./schema.ts";
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

  setPid(runId: number, pid: number): void {
    this.store.write(() => this.db.orm.update(runs).set({ pid }).where(eq(runs.id, runId)).run());
  }

  /** Closes a run and adds it to the cumulative stats in the same transaction. */
  finish(runId: number, finish: RunFinish): void {
    this.store.write(() => {
      const open = this.db.orm
        .select({ startedAt: runs.startedAt })
        .from(runs)
        .where(and(eq(runs.id, runId), eq(runs.status, "running")))
        .get();
      if (!open) return;
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

  /** Runs left open by a process that died (kill -9) are closed as interrupted. */
  interruptOpenRuns(itemIds: string[], finishedAt: number, reason: string): number {
    if (itemIds.length === 0) return 0;
    const open = this.store.read(() =>
      this.db.orm
        .select({ id: runs.id })
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
    return open.length;
  }

  recent(limit: number): RunRecord[] {
    return this.store.read(() =>
      this.db.orm
        .select()
        .from(runs)
        .orderBy(desc(runs.startedAt), desc(runs.id))
        .limit(limit)
        .all()
        .map((r) => ({ ...r, status: r.status as RunStatus })),
    );
  }

  active(): RunRecord[] {
    return this.store.read(() =>
      this.db.orm
        .select()
        .from(runs)
        .where(eq(runs.status, "running"))
        .orderBy(runs.startedAt)
        .all()
        .map((r) => ({ ...r, status: r.status as RunStatus })),
    );
  }

  stats(): CumulativeStats {
    const row = this.store.read(() =>
      this.db.orm.select().from(stats).where(eq(stats.id, 1)).get(),
    );
    return {
      totalInvocations: row?.totalInvocations ?? 0,
      successes: row?.successes ?? 0,
      failures: row?.failures ?? 0,
      agentRuns: row?.agentRuns ?? 0,
      tokensIn: row?.tokensIn ?? 0,
      tokensOut: row?.tokensOut ?? 0,
      costUsd: row?.costUsd ?? 0,
    };
  }
}
