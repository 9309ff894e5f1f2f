import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { StateStore } from "../db/state-store.ts";
import type { Handler, PendingLedgerWork } from "../handlers/handler.ts";

const KEY = "pending_publish";

/** What waits past the agent's part, by work type, as `status` shows it. */
export type PendingByType = Record<string, PendingLedgerWork>;

/**
 * Runs each handler's publish step (commit, push) and keeps what still waits in SQLite, so
 * `status` shows it with or without a daemon. A publish that throws is recorded as waiting.
 */
export class PendingPublish {
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Publishes for one handler; resolves once the step ran and its result is stored. */
  run(handler: Handler): Promise<void> {
    if (!handler.publish) return Promise.resolve();
    const step = handler
      .publish()
      .catch(
        (error: unknown): PendingLedgerWork => ({
          commit: [],
          push: 0,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((pending) => this.store(handler.type, pending))
      .catch((error: unknown) => {
        this.logger.warn(`${handler.type}: could not record what waits to publish: ${error}`);
      });
    this.inFlight.add(step);
    void step.finally(() => this.inFlight.delete(step));
    return step;
  }

  /** Waits for every publish started so far (`daemon --once`, a graceful stop). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  current(): PendingByType {
    return this.state.get<PendingByType>(KEY) ?? {};
  }

  private store(type: string, pending: PendingLedgerWork): void {
    const now = this.clock.now();
    this.state.update<PendingByType, void>(KEY, now, (current) => {
      const next = { ...(current ?? {}) };
      if (pending.commit.length === 0 && pending.push === 0) delete next[type];
      else next[type] = pending;
      return { value: next, result: undefined };
    });
  }
}

/** Totals over all types, for `status`. */
export function pendingTotals(pending: PendingByType): {
  commit: string[];
  push: number;
  error: string | null;
} {
  const all = Object.values(pending);
  return {
    commit: all.flatMap((p) => p.commit),
    push: all.reduce((n, p) => n + p.push, 0),
    error: all.find((p) => p.error !== null)?.error ?? null,
  };
}
