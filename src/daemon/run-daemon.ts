import { createProgress } from "../cli/progress.ts";
import type { Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { isProcessAlive } from "../core/process.ts";
import { startIpcServer } from "../ipc/server.ts";
import { acquireDaemonLock, releaseDaemonLock } from "./daemon-lock.ts";
import { createIpcHandler } from "./ipc-handlers.ts";
import { createRuntime, type Runtime } from "./runtime.ts";

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
  try {
    acquireDaemonLock(runtime.storage.state, {
      pid: process.pid,
      clock: systemClock,
      isAlive: isProcessAlive,
      dbPath: settings.paths.db,
    });
  } catch (error) {
    runtime.close();
    throw error;
  }
  let ipc: { close(): void } | null = null;
  try {
    ipc = await startIpcServer({
      socketPath: settings.paths.socket,
      handle: createIpcHandler(runtime, options.ledgerPath),
      logger,
    });
    runtime.scheduler.setOnComplete((r) => {
      const key = r.item.dedupKey ?? r.item.id;
      if (r.success) logger.info(`finalized ${key} in ${(r.durationMs / 1000).toFixed(1)}s`);
      else logger.error(`gave up on ${key}: ${r.error?.message}`);
    });
    if (options.once) return await runOnce(runtime, logger, options.progressStream);
    logger.info(`agentwork daemon (pid ${process.pid}) watching ${options.ledgerPath}`);
    runtime.scheduler.start();
    const signal = await nextStopSignal();
    logger.info(
      `${signal}: finishing running work (up to ${STOP_GRACE_MS / 1000}s), then stopping`,
    );
    await runtime.scheduler.stop(STOP_GRACE_MS);
    return 0;
  } finally {
    ipc?.close();
    releaseDaemonLock(runtime.storage.state, process.pid);
    runtime.close();
  }
}

/**
 * `daemon --once`: cleanup, detection (no cooldown), everything runnable now, wait for it.
 * Exit 0 when nothing failed; summaries that wait for an agent that is not installed are not a
 * failure (their model-free exports were written when they were queued).
 */
async function runOnce(
  runtime: Runtime,
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const { scheduler, storage, runner } = runtime;
  const tally = { completed: 0, failed: 0, retry: 0, queued: 0 };
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
  const onSignal = (signal: string) => {
    interrupted = signal;
    logger.info(`${signal}: stopping running work (up to ${STOP_GRACE_MS / 1000}s)`);
    void scheduler.stop(STOP_GRACE_MS);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await scheduler.tick("start", { forceDetect: true });
    await scheduler.drain();
    await scheduler.stop(0);
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
  const waiting = storage.queue.len();
  progress.done(
    `${tally.queued} queued, ${tally.completed} finalized, ${tally.failed} failed, ${tally.retry} to retry, ${waiting} waiting`,
  );
  const agent = waiting > 0 ? await runner.check() : null;
  const waits = `${waiting} summar${waiting === 1 ? "y waits" : "ies wait"} for an agent`;
  if (waiting > 0 && !runner.available()) {
    // With agent_type auto the check says why each CLI was not chosen.
    const why = agent?.problem ?? `${runner.agentType} was not found`;
    logger.warn(
      `${waits}: ${why} (install and log in to Claude Code, Codex or Gemini CLI, or set agent_type / agent_bin); session.md and session.html are written`,
    );
  } else if (agent?.problem) {
    logger.warn(`${waits}: ${agent.problem}`);
  }
  if (interrupted) {
    logger.warn(`stopped by ${interrupted}; unfinished items are back in the queue`);
    return 1;
  }
  return tally.failed + tally.retry > 0 ? 1 : 0;
}

function nextStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve(signal);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
