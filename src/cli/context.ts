import { loadSettings, type Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import { createLogger, LOG_LEVELS, type Logger } from "../core/logger.ts";
import { isProcessAlive } from "../core/process.ts";
import { ipcRequest } from "../ipc/client.ts";
import type { IpcRequestType } from "../ipc/protocol.ts";
import { unwrapResponse } from "../ipc/protocol.ts";
import { openStorage, type Storage } from "../queue/storage.ts";
import { daemonHolder } from "../scheduler/daemon-lock.ts";
import { type GlobalArgValues, mergedGlobals } from "./common-args.ts";

/** What every command starts from: validated settings and a logger on stderr. */
export interface CommandContext {
  settings: Settings;
  logger: Logger;
}

export function commandContext(values: GlobalArgValues): CommandContext {
  const globals = mergedGlobals(values);
  const logger = createLogger({
    level: globals.verbose
      ? LOG_LEVELS.verbose
      : globals.quiet
        ? LOG_LEVELS.quiet
        : LOG_LEVELS.normal,
  });
  const settings = loadSettings({
    flags: { db: globals.db, config: globals.config, ledger: globals.ledger },
  });
  return { settings, logger };
}

export function openCommandStorage(ctx: CommandContext): Storage {
  const config = ctx.settings.config;
  return openStorage(ctx.settings.paths.db, {
    clock: systemClock,
    ownerPid: process.pid,
    maxQueueDepth: config.maxQueueDepth,
    maxAttempts: config.maxAttempts,
  });
}

export function withStorage<T>(ctx: CommandContext, fn: (storage: Storage) => T): T {
  const storage = openCommandStorage(ctx);
  try {
    return fn(storage);
  } finally {
    storage.close();
  }
}

/**
 * Asks the running daemon, if there is one. Returns undefined when no daemon listens, so the
 * caller can fall back to the database.
 */
export async function askDaemon(
  ctx: CommandContext,
  type: IpcRequestType,
  payload?: unknown,
): Promise<unknown | undefined> {
  const response = await ipcRequest(ctx.settings.paths.socket, {
    type,
    ...(payload === undefined ? {} : { payload }),
  });
  if (response === null) return undefined;
  return unwrapResponse(response);
}

export function runningDaemonPid(storage: Storage): number | null {
  return daemonHolder(storage.state, isProcessAlive);
}
