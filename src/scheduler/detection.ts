import type { Config } from "../config/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { StateStore } from "../db/state-store.ts";
import type { Handler } from "../handlers/handler.ts";

/**
 * Detection runs at most once per doctor interval per handler type. The cooldown is a little
 * shorter than the interval so a tick that fires a hair early is not skipped (upstream's equal
 * interval and cooldown could stretch the gap to two intervals).
 */
export const COOLDOWN_FRACTION = 0.9;

const cooldownKey = (type: string) => `detect_last:${type}`;

/** Master switch, then per-handler switches (only session-finalize has one today). */
export function isHandlerEnabled(config: Config, type: string): boolean {
  if (!config.enabled) return false;
  if (type === "session-finalize") return config.sessionFinalize;
  return true;
}

export class DetectionClock {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
  ) {}

  /** True when `type` may detect now; the last detection time is persisted across restarts. */
  due(type: string, intervalMs: number): boolean {
    const last = this.state.get<number>(cooldownKey(type));
    return last === null || this.clock.now() - last >= intervalMs * COOLDOWN_FRACTION;
  }

  lastDetectedAt(type: string): number | null {
    return this.state.get<number>(cooldownKey(type));
  }

  record(type: string): void {
    const now = this.clock.now();
    this.state.set(cooldownKey(type), now, now);
  }
}

/** Cleanup needs no agent and touches no queue, so it runs even when agentwork is disabled. */
export async function runCleanup(
  handlers: Iterable<Handler>,
  ledgerPath: string,
  logger: Logger,
): Promise<void> {
  for (const handler of handlers) {
    if (!handler.cleanup) continue;
    try {
      const report = await handler.cleanup(ledgerPath);
      for (const action of report.actions) logger.info(`${handler.type}: ${action}`);
    } catch (error) {
      logger.warn(`${handler.type}: cleanup failed: ${(error as Error).message}`);
    }
  }
}
