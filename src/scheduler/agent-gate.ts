import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { StateStore } from "../db/state-store.ts";
import type { AgentCheck, Runner } from "../runners/runner.ts";

const KEY = "agent_check";

/**
 * Whether agent work may be claimed: the agent was probed (lock-down flags, version) and can be
 * run. The last probe is kept in SQLite, so `status` without a daemon shows what the daemon
 * found without spawning the CLI itself.
 */
export class AgentGate {
  private check: AgentCheck | null = null;
  private inFlight: Promise<AgentCheck> | null = null;

  constructor(
    private readonly runner: Runner,
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The last probe, or null before the first one finished. */
  get current(): AgentCheck | null {
    return this.check;
  }

  /** Probes again (the runner caches per binary); logs when a problem appears or changes. */
  refresh(): Promise<AgentCheck> {
    this.inFlight ??= this.runner
      .check()
      .then((check) => {
        if (check.problem !== null && check.problem !== this.check?.problem) {
          this.logger.warn(`no agent work: ${check.problem}`);
        }
        if (JSON.stringify(check) !== JSON.stringify(this.check)) {
          this.state.set(KEY, check, this.clock.now());
        }
        this.check = check;
        return check;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}

/** The daemon's last probe of the agent, as stored; null when none was made yet. */
export function lastAgentCheck(state: StateStore): AgentCheck | null {
  return state.get<AgentCheck>(KEY);
}
