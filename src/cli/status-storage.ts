import { systemClock } from "../core/clock.ts";
import { openStatusStorage, type StatusStorage } from "../db/status-storage.ts";
import type { CommandContext } from "./context.ts";

/**
 * Only what a status report reads (db/status-storage.ts), for `status` without a daemon: the
 * command every user runs most loads no query builder and no queue.
 */
export async function withStatusStorage<T>(
  ctx: CommandContext,
  fn: (storage: StatusStorage) => Promise<T>,
): Promise<T> {
  const storage = openStatusStorage(ctx.settings.paths.db, { clock: systemClock });
  try {
    return await fn(storage);
  } finally {
    storage.close();
  }
}
