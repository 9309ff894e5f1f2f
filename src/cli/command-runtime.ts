import { requireLedger } from "../config/load.ts";
import { createRuntime, type Runtime } from "../daemon/runtime.ts";
import type { CommandContext } from "./context.ts";

/**
 * A runtime for commands that act without a daemon (detect, direct enqueue). Its own module so
 * the commands that do not need the scheduler and handlers never load them.
 */
export function commandRuntime(ctx: CommandContext): Runtime {
  return createRuntime(ctx.settings, requireLedger(ctx.settings), { logger: ctx.logger });
}
