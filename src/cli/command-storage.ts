import { systemClock } from "../core/clock.ts";
import { openStorage, type Storage } from "../queue/storage.ts";
import type { CommandContext } from "./context.ts";

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
