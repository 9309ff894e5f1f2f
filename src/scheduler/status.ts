import type { Config } from "../config/config.ts";
import { isoTime } from "../core/clock.ts";
import type { JobState } from "../core/work-item.ts";
import type { RunRecord } from "../db/run-store.ts";
import type { StatusStorage } from "../db/status-storage.ts";
import type { AgentCheck } from "../runners/runner.ts";
import { type PauseState, pauseFields } from "./agent-pause.ts";
import { type PendingByType, pendingTotals } from "./pending-publish.ts";

/** Upstream's AgentProcess, with the real pid. */
export interface AgentProcess {
  pid: number;
  work_type: string;
  target: string;
  started_at: string;
  status: "running" | "completed" | "failed" | "interrupted";
  item_id?: string;
  attempt?: number;
  duration_ms?: number;
  error?: string;
  exit_code?: number;
}

/** The seed's AgentWorkStatus JSON, plus what a user also wants to see. */
export interface AgentWorkStatus {
  enabled: boolean;
  agent_type: string;
  agent_available: boolean;
  /** The agent CLI's version, when probed. */
  agent_version: string | null;
  /** Why the agent cannot run (not found, cannot be locked down), or null. */
  agent_problem: string | null;
  /** ISO-8601 end of a usage-limit pause of all agent work, or null. */
  paused_until: string | null;
  pause_reason: string | null;
  /** Why this agent was chosen (agent_type auto: which CLI is installed and logged in). */
  agent_reason?: string;
  /** Why each other agent was not chosen, by agent name. */
  agents_not_chosen?: Record<string, string>;
  queue_depth: number;
  active?: AgentProcess[];
  recent?: AgentProcess[];
  stats: {
    total_invocations: number;
    successes: number;
    failures: number;
    agent_runs: number;
    tokens_in: number;
    tokens_out: number;
    cost_usd: number;
  };
  counts: Record<JobState, number>;
  /** Finalized sessions whose commit or push still waits (retried each pass, no agent run). */
  ledger: {
    waiting_commit: string[];
    waiting_push: number;
    error: string | null;
    /** Read from the ledger by the CLI when it knows the ledger. */
    held_sessions?: number;
    git_problem?: string | null;
  };
  rate_limit: { max_per_hour: number; tokens_left: number; window_ends_at: string };
  next_tick_at: string | null;
  daemon: { running: boolean; pid: number | null };
}

export const RECENT_ENTRIES = 10;

export interface StatusInputs {
  storage: StatusStorage;
  config: Config;
  agentAvailable: boolean;
  /** The last probe of the agent, or null when it was not probed yet. */
  agentCheck: AgentCheck | null;
  pause: PauseState | null;
  pending: PendingByType;
  rateTokensLeft: number;
  rateWindowEndsAt: number;
  nextTickAt: number | null;
  daemonPid: number | null;
}

/** Built from the database alone, so `status` works the same with or without a daemon. */
export function buildStatus(inputs: StatusInputs): AgentWorkStatus {
  const { storage, config } = inputs;
  const counts = storage.queue.counts();
  const active = storage.runs.active().map(toProcess);
  const recent = storage.runs
    .recent(RECENT_ENTRIES + active.length)
    .filter((r) => r.status !== "running")
    .slice(0, RECENT_ENTRIES)
    .reverse()
    .map(toProcess);
  const s = storage.runs.stats();
  return {
    enabled: config.enabled,
    // The agent actually chosen (auto resolves to one, or "none"), once it was probed.
    agent_type: inputs.agentCheck?.agentType ?? config.agentType,
    agent_available: inputs.agentAvailable,
    agent_version: inputs.agentCheck?.version ?? null,
    agent_problem: inputs.agentCheck?.problem ?? null,
    ...pauseFields(inputs.pause),
    ...(inputs.agentCheck?.reason ? { agent_reason: inputs.agentCheck.reason } : {}),
    ...(inputs.agentCheck?.notChosen ? { agents_not_chosen: inputs.agentCheck.notChosen } : {}),
    queue_depth: counts.queued + counts.retry_wait,
    ...(active.length > 0 ? { active } : {}),
    ...(recent.length > 0 ? { recent } : {}),
    stats: {
      total_invocations: s.totalInvocations,
      successes: s.successes,
      failures: s.failures,
      agent_runs: s.agentRuns,
      tokens_in: s.tokensIn,
      tokens_out: s.tokensOut,
      cost_usd: s.costUsd,
    },
    counts,
    ledger: ledgerFields(inputs.pending),
    rate_limit: {
      max_per_hour: config.maxInvocationsPerHour,
      tokens_left: inputs.rateTokensLeft,
      window_ends_at: isoTime(inputs.rateWindowEndsAt),
    },
    next_tick_at: inputs.nextTickAt === null ? null : isoTime(inputs.nextTickAt),
    daemon: { running: inputs.daemonPid !== null, pid: inputs.daemonPid },
  };
}

function ledgerFields(pending: PendingByType): AgentWorkStatus["ledger"] {
  const totals = pendingTotals(pending);
  return { waiting_commit: totals.commit, waiting_push: totals.push, error: totals.error };
}

function toProcess(run: RunRecord): AgentProcess {
  return {
    pid: run.pid ?? 0,
    work_type: run.workType,
    target: run.target,
    started_at: isoTime(run.startedAt),
    status: run.status,
    ...(run.itemId ? { item_id: run.itemId } : {}),
    attempt: run.attempt,
    ...(run.durationMs ? { duration_ms: run.durationMs } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.exitCode ? { exit_code: run.exitCode } : {}),
  };
}
