import { requireLedger } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import { createRuntime, type Runtime } from "../daemon/runtime.ts";
import type { IpcRequestType } from "../ipc/protocol.ts";
import { offlineTarget, storageTarget, type WorkTarget } from "../operations/work-target.ts";
import { withStorageAsync } from "./command-storage.ts";
import { askDaemon, type CommandContext } from "./context.ts";

/**
 * A runtime for commands that act without a daemon (detect, direct enqueue). Its own module so
 * the commands that do not need the scheduler and handlers never load them.
 */
export function commandRuntime(ctx: CommandContext): Runtime {
  return createRuntime(ctx.settings, requireLedger(ctx.settings), { logger: ctx.logger });
}

/**
 * One operation, through the running daemon when there is one (over the socket), else on the
 * database and the ledger directly: the same operations code either way.
 */
export async function viaDaemonOr<T>(
  ctx: CommandContext,
  type: IpcRequestType,
  payload: unknown,
  offline: (target: WorkTarget) => T | Promise<T>,
  options: { ledger: boolean } = { ledger: true },
): Promise<T> {
  const answered = (await askDaemon(ctx, type, payload)) as T | undefined;
  if (answered !== undefined) return answered;
  if (!options.ledger) {
    return withStorageAsync(ctx, async (storage) =>
      offline(storageTarget(storage, { clock: systemClock })),
    );
  }
  const runtime = commandRuntime(ctx);
  try {
    return await offline(
      offlineTarget(runtime.scheduler, runtime.storage, { clock: systemClock, logger: ctx.logger }),
    );
  } finally {
    runtime.close();
  }
}
