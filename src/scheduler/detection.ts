import type { Config } from "../config/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { NewWorkItem } from "../core/work-item.ts";
import type { StateStore } from "../db/state-store.ts";
import type { Handler } from "../handlers/handler.ts";

/**
 * Detection runs at most once per doctor interval per handler type. The cooldown is a little
 * shorter than the interval so a tick that fires a hair early is not skipped (upstream's equal
 * interval and cooldown could stretch the gap to two intervals).
 */
export const COOLDOWN_FRACTION = 0.9;

const cooldownKey = (type: string) => `detect_last:${type}`;

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

export interface DetectPass {
  handlers: Iterable<Handler>;
  config: Config;
  /** Skip the cooldown (force-detect, `daemon --once`). */
  force: boolean;
  cooldown: DetectionClock;
  ledgerPath: string;
  logger: Logger;
  /** Enqueues one detected item; resolves `ok` when it was queued (not a duplicate, not full). */
  admit: (item: NewWorkItem) => Promise<{ ok: boolean }>;
}

/**
 * Runs every enabled handler's detection that is due and admits what it finds. A failing detect
 * is logged and leaves that handler's cooldown unset, so the next pass tries again.
 * Returns how many items were newly queued.
 */
export async function detectAndAdmit(pass: DetectPass): Promise<number> {
  if (!pass.config.enabled) return 0;
  let queued = 0;
  for (const handler of pass.handlers) {
    if (!handler.isEnabled(pass.config)) continue;
    if (!pass.force && !pass.cooldown.due(handler.type, pass.config.doctorIntervalMs)) continue;
    let found: NewWorkItem[];
    try {
      found = await handler.detect(pass.ledgerPath);
    } catch (error) {
      pass.logger.warn(`${handler.type}: detect failed: ${(error as Error).message}`);
      continue;
    }
    pass.cooldown.record(handler.type);
    for (const item of found) if ((await pass.admit(item)).ok) queued++;
  }
  return queued;
}
