import type { Settings } from "../config/load.ts";
import { systemClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { realTimers } from "../core/timers.ts";
import { openBrowser } from "./open-browser.ts";
import { createOperationsAdapter } from "./operations-adapter.ts";
import { startUiServer, type UiServer } from "./server.ts";

export interface UiOptions {
  port: number;
  open: boolean;
}

/** Starts the dashboard and prints its URL (with the token) on stdout; `stop` closes it all. */
export async function startDashboard(
  settings: Settings,
  logger: Logger,
  options: UiOptions,
): Promise<UiServer> {
  const ops = createOperationsAdapter(settings, logger);
  const server = startUiServer({ ops, port: options.port, clock: systemClock, timers: realTimers });
  process.stdout.write(`agentwork ui: ${server.url}\n`);
  if (options.open && !(await openBrowser(server.url, process.platform))) {
    logger.warn("could not open a browser: open the URL above yourself");
  }
  return {
    ...server,
    stop: async () => {
      await server.stop();
      ops.close();
    },
  };
}

/** `agentwork ui`: serves until SIGINT or SIGTERM. */
export async function runDashboard(settings: Settings, logger: Logger, options: UiOptions) {
  const server = await startDashboard(settings, logger, options);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.stop();
}
