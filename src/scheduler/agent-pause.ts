import type { Clock } from "../core/clock.ts";
import { isoTime } from "../core/clock.ts";
import type { StateStore } from "../db/state-store.ts";

/** A pause of all agent work, as stored (JSON in worker_state) and shown by `status`. */
export interface PauseState {
  /** Epoch ms; agent work resumes at this time. */
  until: number;
  reason: string;
  /** When the pause began (an extension keeps the first start). */
  since: number;
}

const KEY = "agent_pause";

/**
 * The account's usage limit pauses every agent run until it resets (decisions.md). Kept in
 * SQLite, so a restart or a crash loop cannot spend the next attempt of every item against a
 * limit that resets in hours. Model-free work (exports, ledger commits, pushes) goes on.
 */
export class AgentPause {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
  ) {}

  /** The pause in force now, or null (an expired pause is cleared on read). */
  current(): PauseState | null {
    const pause = this.state.get<PauseState>(KEY);
    if (pause === null) return null;
    if (pause.until > this.clock.now()) return pause;
    this.state.delete(KEY);
    return null;
  }

  /**
   * Pauses until `until`, or extends a pause that ends earlier. Returns true when this started a
   * pause (so it is announced once), false when one was already in force.
   */
  pauseUntil(until: number, reason: string): boolean {
    const now = this.clock.now();
    return this.state.update<PauseState, boolean>(KEY, now, (current) => {
      const active = current !== null && current.until > now;
      if (active && current.until >= until) return { value: current, result: false };
      return {
        value: { until: Math.round(until), reason, since: active ? current.since : now },
        result: !active,
      };
    });
  }

  /** Ends a pause early (`agentwork resume`). Returns the pause that was ended, if any. */
  resume(): PauseState | null {
    const pause = this.current();
    if (pause !== null) this.state.delete(KEY);
    return pause;
  }
}

/** `status --json`'s view of a pause. */
export function pauseFields(pause: PauseState | null): {
  paused_until: string | null;
  pause_reason: string | null;
} {
  return {
    paused_until: pause === null ? null : isoTime(pause.until),
    pause_reason: pause?.reason ?? null,
  };
}
