import { type ConsolaInstance, createConsola } from "consola";

export type Logger = ConsolaInstance;

export const LOG_LEVELS = { quiet: 1, normal: 3, verbose: 4 } as const;

/**
 * consola levels: 0 fatal/error, 1 warn, 3 info, 4 debug, 5 trace. Every log line goes to stderr,
 * so stdout carries only a command's data (`--json` output stays parseable).
 */
export function createLogger(options: { level?: number; tag?: string } = {}): Logger {
  const logger = createConsola({
    level: options.level ?? LOG_LEVELS.normal,
    stdout: process.stderr,
    stderr: process.stderr,
  });
  return options.tag ? logger.withTag(options.tag) : logger;
}

/** A logger that drops everything: the default in tests and library code with no logger given. */
export function silentLogger(): Logger {
  return createConsola({ level: -999 });
}
