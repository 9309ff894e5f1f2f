import { loadSettings, type Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import { createLogger, LOG_LEVELS, type Logger } from "../core/logger.ts";
import { askSocket } from "../ipc/client.ts";
import type { IpcRequestType } from "../ipc/protocol.ts";
import { openStorage, type Storage } from "../queue/storage.ts";
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

/** withStorage for work that awaits: the database stays open until it is done. */
export async function withStorageAsync<T>(
  ctx: CommandContext,
  fn: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = openCommandStorage(ctx);
  try {
    return await fn(storage);
  } finally {
    storage.close();
  }
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
  return askSocket(ctx.settings.paths.socket, type, payload);
}
