/**
 * The database schema, as drizzle tables. drizzle-kit turns this into migrations/ (then
 * scripts/gen-migrations.ts embeds them). Times are INTEGER milliseconds since the epoch; the
 * `*_readable` views show them as ISO-8601 text for people browsing the file.
 *
 * No Bun-only imports here: drizzle-kit loads this file under Node.
 */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import {
  ALL_STATES_SQL,
  DEDUP_STATES_SQL,
  FINAL_STATES_SQL,
  WAITING_STATES_SQL,
} from "./state-sql.ts";

const stateList = sql.raw(ALL_STATES_SQL);
const dedupStates = sql.raw(DEDUP_STATES_SQL);
const waitingStates = sql.raw(WAITING_STATES_SQL);
const finalStates = sql.raw(FINAL_STATES_SQL);

export const workItems = sqliteTable(
  "work_items",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    priority: integer("priority").notNull().default(0),
    dedupKey: text("dedup_key"),
    /**
     * The dedup key while the item is active (queued, running, retry_wait), NULL once final. The
     * unique index is on this column rather than on dedup_key filtered by state, so a claim (which
     * changes state but not this column) does not rewrite the dedup index: one page less per commit.
     */
    activeDedupKey: text("active_dedup_key"),
    payload: text("payload").notNull(),
    state: text("state").notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    lastError: text("last_error"),
    runAfter: integer("run_after").notNull(),
    leaseOwnerPid: integer("lease_owner_pid"),
    leaseExpiresAt: integer("lease_expires_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    check("work_items_state_valid", sql`${t.state} IN (${stateList})`),
    check("work_items_payload_json", sql`json_valid(${t.payload})`),
    check(
      "work_items_active_dedup_key",
      sql`${t.activeDedupKey} IS (CASE WHEN ${t.state} IN (${dedupStates}) THEN ${t.dedupKey} END)`,
    ),
    check("work_items_attempts_valid", sql`${t.attempts} >= 0 AND ${t.maxAttempts} >= 1`),
    check(
      "work_items_lease_iff_running",
      sql`(${t.state} = 'running') = (${t.leaseOwnerPid} IS NOT NULL AND ${t.leaseExpiresAt} IS NOT NULL)`,
    ),
    check(
      "work_items_finished_iff_final",
      sql`(${t.state} IN (${finalStates})) = (${t.finishedAt} IS NOT NULL)`,
    ),
    // Dedup lives here: two processes cannot both hold an active item with the same key.
    uniqueIndex("work_items_dedup_active")
      .on(t.activeDedupKey)
      .where(sql`${t.activeDedupKey} IS NOT NULL`),
    // Matches the claim query's filter and ORDER BY exactly.
    index("work_items_claim")
      .on(t.priority, t.createdAt, t.id)
      .where(sql`${t.state} IN (${waitingStates})`),
    // Deliberately no index on state, lease or finished_at: every claim and completion would pay
    // to update them (bench/results/queue.md), while the queries they would serve (counts for
    // status, the rescue and prune passes) run rarely and over small sets.
  ],
);

export const attemptErrors = sqliteTable(
  "attempt_errors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: text("item_id")
      .notNull()
      .references(() => workItems.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    code: text("code"),
    message: text("message").notNull(),
  },
  (t) => [index("attempt_errors_item").on(t.itemId, t.attempt)],
);

export const RUN_STATUSES = ["running", "completed", "failed", "interrupted"] as const;
const runStatusList = sql.raw(RUN_STATUSES.map((s) => `'${s}'`).join(", "));

/** One row per agent invocation. Outlives its work item (item_id is nulled on prune). */
export const runs = sqliteTable(
  "runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: text("item_id").references(() => workItems.id, { onDelete: "set null" }),
    attempt: integer("attempt").notNull(),
    pid: integer("pid"),
    /**
     * When the agent process started (clock ticks since boot, /proc/<pid>/stat field 22): a pid
     * is signalled only while it still names that process, never a later one that reused it.
     */
    pidStartTicks: integer("pid_start_ticks"),
    workType: text("work_type").notNull(),
    target: text("target").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    status: text("status").notNull(),
    exitCode: integer("exit_code"),
    errorCode: text("error_code"),
    error: text("error"),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costUsd: real("cost_usd"),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    check("runs_status_valid", sql`${t.status} IN (${runStatusList})`),
    check(
      "runs_finished_iff_not_running",
      sql`(${t.status} = 'running') = (${t.finishedAt} IS NULL)`,
    ),
    index("runs_started").on(t.startedAt),
    index("runs_item").on(t.itemId),
    // `status` and the dashboard list the open runs: without this, a scan of all history
    // (bench/results/ui.md: 150+ ms at 100,000 rows).
    index("runs_status").on(t.status, t.startedAt),
    // Covers the dashboard's per-day usage and success rate: no table lookup per history row.
    index("runs_usage").on(t.startedAt, t.status, t.tokensIn, t.tokensOut, t.costUsd),
  ],
);

/**
 * How many items are in each state, one row per state, kept by triggers on work_items (migration
 * 0005) in the same transaction as the change. The queue cap is checked in O(1) inside the
 * enqueue's own statement, and `status` reads six rows instead of scanning every item.
 */
export const stateCounts = sqliteTable(
  "state_counts",
  {
    state: text("state").primaryKey(),
    items: integer("items").notNull().default(0),
  },
  (t) => [
    check("state_counts_state_valid", sql`${t.state} IN (${stateList})`),
    check("state_counts_not_negative", sql`${t.items} >= 0`),
  ],
);

/**
 * Cumulative counters; exactly one row (id = 1), so restarts never reset them. As upstream,
 * total_invocations = successes + failures counts items reaching a final outcome; agent_runs,
 * tokens and cost count every attempt.
 */
export const stats = sqliteTable(
  "stats",
  {
    id: integer("id").primaryKey(),
    totalInvocations: integer("total_invocations").notNull().default(0),
    successes: integer("successes").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    agentRuns: integer("agent_runs").notNull().default(0),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
  },
  (t) => [check("stats_single_row", sql`${t.id} = 1`)],
);

/** Small persisted scheduler state: the rate limiter's window, per-handler detection times. */
export const workerState = sqliteTable("worker_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

const sourceList = sql.raw(["claude", "codex", "gemini"].map((s) => `'${s}'`).join(", "));

/**
 * One row per imported agent transcript (`sources`): the source file's identity when it was last
 * imported, and the ledger session it became. A file whose size, mtime and hash still match is
 * not read again; one that grew is imported again under the same session name.
 */
export const sourceImports = sqliteTable(
  "source_imports",
  {
    source: text("source").notNull(),
    sourceId: text("source_id").notNull(),
    path: text("path").notNull(),
    size: integer("size").notNull(),
    mtimeMs: integer("mtime_ms").notNull(),
    contentHash: text("content_hash").notNull(),
    sessionName: text("session_name").notNull(),
    importedAt: integer("imported_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.sourceId] }),
    uniqueIndex("source_imports_session").on(t.sessionName),
    check("source_imports_source_valid", sql`${t.source} IN (${sourceList})`),
    check("source_imports_size_valid", sql`${t.size} >= 0 AND ${t.mtimeMs} >= 0`),
    check("source_imports_hash_valid", sql`length(${t.contentHash}) = 64`),
  ],
);

/** Why a transcript is left out of the ledger (`source_skips.reason`). */
export const SKIP_REASONS = ["project", "summary_run", "empty"] as const;
const skipReasonList = sql.raw(SKIP_REASONS.map((r) => `'${r}'`).join(", "));

/**
 * One row per transcript left out for good as it is now: another project (`source_projects`,
 * whose value then is `filter`), one of agentwork's own summary runs, or one with no entries. A
 * file whose size and mtime still match is not read again, also after a restart; a `project`
 * skip only while `source_projects` is the same.
 */
export const sourceSkips = sqliteTable(
  "source_skips",
  {
    source: text("source").notNull(),
    sourceId: text("source_id").notNull(),
    size: integer("size").notNull(),
    mtimeMs: integer("mtime_ms").notNull(),
    reason: text("reason").notNull(),
    filter: text("filter").notNull(),
    skippedAt: integer("skipped_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.sourceId] }),
    check("source_skips_source_valid", sql`${t.source} IN (${sourceList})`),
    check("source_skips_reason_valid", sql`${t.reason} IN (${skipReasonList})`),
    check("source_skips_size_valid", sql`${t.size} >= 0 AND ${t.mtimeMs} >= 0`),
  ],
);
