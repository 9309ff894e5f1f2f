import type { LogObject } from "consola";
import { type ConsolaInstance, type ConsolaReporter, createConsola } from "consola/core";
import { type Clock, isoTime, systemClock } from "./clock.ts";
import { safeText } from "./terminal-text.ts";

export type Logger = ConsolaInstance;

export const LOG_LEVELS = { quiet: 1, normal: 3, verbose: 4 } as const;

export interface LoggerOptions {
  level?: number;
  tag?: string;
  /** Where "now" comes from for timestamps (the daemon's clock; a FakeClock in tests). */
  clock?: Clock;
  /** Defaults to process.stderr. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
}

function argText(arg: unknown, verbose: boolean): string {
  if (arg instanceof Error) return verbose && arg.stack ? arg.stack : arg.message;
  return typeof arg === "string" ? arg : String(arg);
}

let stderrGuarded = false;

/**
 * process.stderr, touched only when a line is actually logged: setting up Node's stream stack
 * costs about 14 ms at every start of the compiled executable, and most commands never log
 * (bench/results/cli.md). Asynchronous write errors (EIO, EPIPE once the terminal or pipe is
 * gone) arrive as events and are ignored.
 */
function stderr(): NodeJS.WriteStream {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on("error", () => {});
  }
  return process.stderr;
}

/**
 * One line per message: `2026-05-01T12:00:00.000Z warn [scheduler] text` when stderr is not a
 * terminal (a service log, a file), without the timestamp on a terminal. Every message passes
 * through safeText: names and errors from transcripts never reach a terminal as control codes.
 */
export function lineReporter(options: LoggerOptions): ConsolaReporter {
  const clock = options.clock ?? systemClock;
  return {
    log(entry: LogObject) {
      const stream = options.stream ?? stderr();
      const verbose = (options.level ?? LOG_LEVELS.normal) >= LOG_LEVELS.verbose;
      const text = entry.args.map((arg) => argText(arg, verbose)).join(" ");
      const lines = text.split("\n").map((line) => safeText(line));
      const tag = entry.tag ? ` [${entry.tag}]` : "";
      const prefix = `${stream.isTTY ? "" : `${isoTime(clock.now())} `}${entry.type}${tag}`;
      try {
        stream.write(`${prefix} ${lines.join("\n    ")}\n`);
      } catch {
        // A closed terminal (after SIGHUP) fails writes with EIO: losing a log line must not
        // stop the daemon.
      }
    },
  };
}

/**
 * consola levels: 0 fatal/error, 1 warn, 3 info, 4 debug, 5 trace. Every log line goes to stderr,
 * so stdout carries only a command's data (`--json` output stays parseable). Built on
 * `consola/core` with our own line reporter.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = createConsola({
    level: options.level ?? LOG_LEVELS.normal,
    reporters: [lineReporter(options)],
  });
  return options.tag ? logger.withTag(options.tag) : logger;
}

/** A logger that drops everything: the default in tests and library code with no logger given. */
export function silentLogger(): Logger {
  return createConsola({ level: -999 });
}
