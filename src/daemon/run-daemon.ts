import type { Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import { EXIT_CODES } from "../core/exit-codes.ts";
import type { Logger } from "../core/logger.ts";
import { isProcessAlive } from "../core/process.ts";
import { createProgress } from "../core/progress.ts";
import type { WorkItem } from "../core/work-item.ts";
import { startIpcServer } from "../ipc/server.ts";
import { acquireDaemonLock, releaseDaemonLock } from "../scheduler/daemon-lock.ts";
import type { AgentWorkStatus } from "../scheduler/status.ts";
import { createIpcHandler } from "./ipc-handlers.ts";
import { acquireLedgerLock } from "./ledger-lock.ts";
import { createRuntime, type Runtime } from "./runtime.ts";
import { HURRY_GRACE_MS, type SignalWatch, watchSignals } from "./signals.ts";

/** How long running agents may take to finish after SIGTERM before they are stopped. */
export const STOP_GRACE_MS = 10_000;

export interface DaemonOptions {
  settings: Settings;
  ledgerPath: string;
  logger: Logger;
  once: boolean;
  /** Where progress is drawn (stderr); a terminal gets one updating line. */
  progressStream?: NodeJS.WriteStream;
}

/** Runs the daemon in the foreground; resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { settings, logger } = options;
  const runtime = createRuntime(settings, options.ledgerPath, { logger });
  let releaseLedger: () => void;
  try {
    acquireDaemonLock(runtime.storage.state, {
      pid: process.pid,
      clock: systemClock,
      isAlive: isProcessAlive,
      dbPath: settings.paths.db,
    });
    try {
      // One worker per ledger, whatever its database; held for the daemon's lifetime.
      releaseLedger = acquireLedgerLock(options.ledgerPath, {
        pid: process.pid,
        dbPath: settings.paths.db,
        nowMs: systemClock.now(),
        isAlive: isProcessAlive,
      });
    } catch (error) {
      releaseDaemonLock(runtime.storage.state, process.pid);
      throw error;
    }
  } catch (error) {
    runtime.close();
    throw error;
  }
  // Run rows left open by an earlier crash (their item is no longer running) are closed now.
  const orphans = runtime.storage.runs.interruptOrphans(systemClock.now());
  if (orphans > 0) logger.info(`closed ${orphans} run row(s) left open by an earlier crash`);
  let ipc: { close(): void } | null = null;
  let signals: SignalWatch | null = null;
  try {
    ipc = await startIpcServer({
      socketPath: settings.paths.socket,
      handle: createIpcHandler(runtime),
      logger,
    });
    runtime.scheduler.setOnComplete((r) => {
      const key = r.item.dedupKey ?? r.item.id;
      if (r.success) logger.info(`finalized ${key} in ${(r.durationMs / 1000).toFixed(1)}s`);
      else logger.error(`gave up on ${key}: ${r.error?.message}`);
    });
    if (options.once) return await runOnce(runtime, logger, options.progressStream);
    let stopping: Promise<void> = Promise.resolve();
    signals = watchSignals(
      {
        stop: (signal) => {
          logger.info(
            `${signal}: finishing running work (up to ${STOP_GRACE_MS / 1000}s), then stopping`,
          );
          stopping = runtime.scheduler.stop(STOP_GRACE_MS);
        },
        hurry: () => {
          stopping = Promise.all([stopping, runtime.scheduler.stop(HURRY_GRACE_MS)]).then(() => {});
        },
        reload: () => runtime.loadConfig(),
      },
      logger,
    );
    // Announced only once the signal handlers are in place: a supervisor (or a test) may signal
    // as soon as it reads this line.
    logger.info(`agentwork daemon (pid ${process.pid}) watching ${options.ledgerPath}`);
    runtime.scheduler.start();
    const fatal = runtime.scheduler.events.next("scheduler:fatal");
    const first = await Promise.race([signals.stopped.then(() => null), fatal]);
    if (first !== null) {
      logger.error(`stopping: ${first.error.message}`);
      await runtime.scheduler.stop(STOP_GRACE_MS);
      return EXIT_CODES.database;
    }
    await stopping;
    return 0;
  } finally {
    signals?.dispose();
    ipc?.close();
    releaseLedger();
    releaseDaemonLock(runtime.storage.state, process.pid);
    runtime.close();
  }
}

/**
 * `daemon --once`: cleanup and the ledger step, detection (no cooldown), everything runnable
 * now, wait for it. Exit 0 only when every item it touched ended `done` and nothing waits to be
 * committed or pushed; otherwise exit 1, naming each item that did not and why (3 when the
 * database became unusable).
 */
async function runOnce(
  runtime: Runtime,
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const { scheduler, storage, runner } = runtime;
  const tally = { completed: 0, failed: 0, retry: 0, queued: 0 };
  const touched = new Set<string>();
  scheduler.events.on("job:queued", (e) => touched.add(e.item.id));
  scheduler.events.on("job:started", (e) => touched.add(e.item.id));
  const progress = createProgress({
    total: null,
    label: "finalize",
    stream,
    isTTY: stream.isTTY === true,
  });
  scheduler.events.on("job:queued", () => tally.queued++);
  scheduler.events.on("job:completed", (e) => {
    tally.completed++;
    progress.tick(`done ${e.item.dedupKey}`);
  });
  scheduler.events.on("job:failed", (e) => {
    tally.failed++;
    progress.tick(`failed ${e.item.dedupKey}`);
  });
  scheduler.events.on("job:retry", (e) => {
    tally.retry++;
    progress.tick(`will retry ${e.item.dedupKey}`);
  });
  // SIGTERM / Ctrl-C: stop like the foreground daemon does; unfinished items go back to the queue.
  let interrupted: string | null = null;
  const stops: Promise<void>[] = [];
  const signals = watchSignals(
    {
      stop: (signal) => {
        interrupted = signal;
        logger.info(`${signal}: stopping running work (up to ${STOP_GRACE_MS / 1000}s)`);
        stops.push(scheduler.stop(STOP_GRACE_MS));
      },
      hurry: () => {
        stops.push(scheduler.stop(HURRY_GRACE_MS));
      },
      reload: () => runtime.loadConfig(),
    },
    logger,
  );
  try {
    await scheduler.tick("start", { forceDetect: true });
    await scheduler.drain();
    await Promise.all(stops);
    await scheduler.stop(0);
  } finally {
    signals.dispose();
  }
  if (scheduler.fatal) {
    progress.done(`stopped: ${scheduler.fatal.message}`);
    return EXIT_CODES.database;
  }
  const waiting = storage.queue.len();
  progress.done(
    `${tally.queued} queued, ${tally.completed} finalized, ${tally.failed} failed, ${tally.retry} to retry, ${waiting} waiting`,
  );
  const agent = await runner.check();
  const why = waitReason(scheduler.status(), runner.available(), runner.agentType, agent.problem);
  const unfinished = [...touched]
    .map((id) => storage.queue.get(id))
    .filter((item): item is WorkItem => item !== null && item.state !== "done");
  for (const item of unfinished.slice(0, MAX_LISTED)) {
    logger.warn(`not done: ${item.dedupKey ?? item.id} is ${item.state}: ${item.lastError ?? why}`);
  }
  if (unfinished.length > MAX_LISTED) {
    logger.warn(
      `… and ${unfinished.length - MAX_LISTED} more not done (agentwork queue lists them)`,
    );
  }
  const ledger = scheduler.status().ledger;
  if (ledger.waiting_commit.length > 0 || ledger.waiting_push > 0) {
    logger.warn(
      `ledger: ${ledger.waiting_commit.length} session(s) wait to be committed, ${ledger.waiting_push} commit(s) to be pushed; retried on the next pass without the agent: ${ledger.error ?? ""}`,
    );
  }
  if (interrupted) {
    logger.warn(`stopped by ${interrupted}; unfinished items are back in the queue`);
    return 1;
  }
  const publishFailed = ledger.error !== null;
  return unfinished.length > 0 || publishFailed ? 1 : 0;
}

const MAX_LISTED = 20;

/** Why queued items did not run in this pass, for `--once`'s closing lines. */
function waitReason(
  status: AgentWorkStatus,
  available: boolean,
  agentType: string,
  problem: string | null | undefined,
): string {
  if (status.paused_until)
    return `agent work is paused until ${status.paused_until} (${status.pause_reason})`;
  if (!available) {
    // With agent_type auto the check says why each CLI was not chosen.
    return `it waits for an agent: ${problem ?? `${agentType} was not found`} (install and log in to Claude Code, Codex or Gemini CLI, or set agent_type / agent_bin); session.md and session.html are written`;
  }
  if (problem) return `it waits for an agent: ${problem}`;
  if (!status.enabled) return "agentwork is disabled (enabled: false)";
  if (status.rate_limit.tokens_left <= 0) {
    return `the hourly budget is spent (max_invocations_per_hour ${status.rate_limit.max_per_hour}); next window at ${status.rate_limit.window_ends_at}`;
  }
  return "it waits for a later pass";
}
