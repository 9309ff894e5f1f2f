import { loadSettings, type Settings } from "../config/load.ts";
import { createLogger, LOG_LEVELS, type Logger } from "../core/logger.ts";
import { askSocket } from "../ipc/client.ts";
import type { IpcRequestType } from "../ipc/protocol.ts";
import { type GlobalArgValues, mergedGlobals } from "./common-args.ts";

/** What every command starts from: validated settings and a logger on stderr. */
export interface CommandContext {
  settings: Settings;
  logger: Logger;
}

export function commandContext(
  values: GlobalArgValues,
  options: { configMayBeMissing?: boolean } = {},
): CommandContext {
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
    configMayBeMissing: options.configMayBeMissing,
  });
  return { settings, logger };
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
