import type { Config } from "../config/config.ts";
import type { EnqueueResult, NewWorkItem, WorkItem } from "../core/work-item.ts";
import type { RunRequest, RunResult } from "../runners/runner.ts";

export interface CleanupReport {
  /** Human-readable notes of what cleanup changed (ghosts removed). */
  actions: string[];
}

/** Sessions whose agent work is done but whose ledger step (commit, push) still waits. */
export interface PendingLedgerWork {
  /** Session names waiting to be committed. */
  commit: string[];
  /** Local commits waiting to be pushed. */
  push: number;
  /** Why the last commit or push failed, with the fix when known; null when none failed. */
  error: string | null;
}

/**
 * A kind of background work. The scheduler calls, per doctor pass: cleanup (always, even when
 * disabled), detect (subject to a per-type cooldown), then for each claimed item buildPrompt,
 * the runner, and processResult. Errors thrown from these carry a retry disposition
 * (see core/errors.ts): buildPrompt/processResult errors are not retried unless they say so.
 */
export interface Handler<P = unknown> {
  readonly type: string;
  /** The handler's own config switch (besides `enabled`): detection and claims skip it when off. */
  isEnabled(config: Config): boolean;
  /**
   * An item asked for by hand (`agentwork enqueue <type> <name>`), checked before it is queued
   * (the target exists, is not held); throws a typed error otherwise.
   */
  newItem?(request: HandRequest): NewWorkItem<P>;
  /**
   * Releases held work (`agentwork publish`) and queues it through `enqueue`; returns what was
   * released and what was named but not held.
   */
  release?(request: ReleaseRequest, enqueue: Enqueue<P>): Promise<ReleaseReply>;
  /** Finds work in the ledger. Returned items are enqueued with dedup. */
  detect(ledgerPath: string): Promise<NewWorkItem<P>[]>;
  /**
   * Work that needs no agent, run once when an item is queued, even when no agent is installed:
   * e.g. session.md/session.html exports. Must be idempotent.
   */
  prepare?(item: WorkItem<P>): Promise<void>;
  /**
   * What to ask the agent, or null when the item needs no agent run: the handler finished it from
   * what already exists (a summary on disk, a reply parsed by an earlier attempt). A summary is
   * paid for once.
   */
  buildPrompt(item: WorkItem<P>): Promise<RunRequest | null>;
  /**
   * The agent's reply → the item's agent work. Throws to fail the attempt (a reply that is not a
   * summary is a retryable failure). Work past the agent's part (commit, push) must not throw:
   * it is retried by cleanup on later passes, never by a new agent run.
   */
  processResult(item: WorkItem<P>, result: RunResult): Promise<void>;
  /** Housekeeping that needs no agent: ghost removal. */
  cleanup?(ledgerPath: string): Promise<CleanupReport>;
  /**
   * The step past the agent's: commit and push what the agent work produced. Runs after each
   * completed item and on every doctor pass; never throws (what still waits is returned, with
   * the reason), and never causes a new agent run.
   */
  publish?(): Promise<PendingLedgerWork>;
}

/** `agentwork enqueue <type> <name> [--priority N] [--force]`. */
export interface HandRequest {
  name: string;
  priority?: number;
  force?: boolean;
}

/** `agentwork publish <name> | --all`. */
export interface ReleaseRequest {
  name?: string;
  all?: boolean;
}

export interface ReleaseReply {
  /** Released and queued. */
  published: string[];
  /** Named, but not held (already published or never held). */
  not_held: string[];
}

export type Enqueue<P> = (item: NewWorkItem<P>) => Promise<EnqueueResult<P>>;
