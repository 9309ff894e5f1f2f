import { type ConsolaInstance, createConsola } from "consola";

export type Logger = ConsolaInstance;

/** consola levels: 0 fatal/error, 1 warn, 3 info, 4 debug, 5 trace. */
export function createLogger(options: { level?: number; tag?: string } = {}): Logger {
  const logger = createConsola({ level: options.level ?? 3, stderr: process.stderr });
  return options.tag ? logger.withTag(options.tag) : logger;
}

/** A logger that drops everything: the default in tests and library code with no logger given. */
export function silentLogger(): Logger {
  return createConsola({ level: -999 });
}
