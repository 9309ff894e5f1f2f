import { type ConsolaInstance, type ConsolaReporter, createConsola } from "consola/core";

export type Logger = ConsolaInstance;

export const LOG_LEVELS = { quiet: 1, normal: 3, verbose: 4 } as const;

/**
 * consola levels: 0 fatal/error, 1 warn, 3 info, 4 debug, 5 trace. Every log line goes to stderr,
 * so stdout carries only a command's data (`--json` output stays parseable).
 *
 * Built on `consola/core`; consola's own reporters (fancy on a TTY, basic otherwise) and
 * process.stderr are set up on the first line actually logged. They pull in node:tty, node:util
 * and Node's stream stack, which cost about 14 ms and more at every start of the compiled
 * executable, and most commands never log (bench/results/cli.md).
 */
export function createLogger(options: { level?: number; tag?: string } = {}): Logger {
  const logger = createConsola({
    level: options.level ?? LOG_LEVELS.normal,
    reporters: [lazyDefaultReporter(options.level ?? LOG_LEVELS.normal)],
  });
  return options.tag ? logger.withTag(options.tag) : logger;
}

/** A logger that drops everything: the default in tests and library code with no logger given. */
export function silentLogger(): Logger {
  return createConsola({ level: -999 });
}

function lazyDefaultReporter(level: number): ConsolaReporter {
  let real: ConsolaInstance | undefined;
  return {
    log(logObj) {
      // A synchronous load of the bundled module: logging stays synchronous and ordered.
      real ??= (require("consola") as typeof import("consola")).createConsola({
        level,
        stdout: process.stderr,
        stderr: process.stderr,
      });
      for (const reporter of real.options.reporters) {
        reporter.log(logObj, { options: real.options });
      }
    },
  };
}
