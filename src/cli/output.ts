import { writeSync } from "node:fs";
import type { TextSink } from "../core/progress.ts";
import { safeText } from "../core/terminal-text.ts";

/**
 * How commands print data: `--json` gives one machine-readable document on stdout, otherwise a
 * human-readable rendering. Data goes to stdout and everything else (logs, progress) to stderr, so
 * `agentwork status --json | jq` always sees clean JSON.
 */
export interface PrintOptions<T> {
  json: boolean;
  /** The human-readable form; only called without --json. */
  text: (data: T) => string;
  /** The --json form when it differs from the data (snake_case shapes). */
  asJson?: (data: T) => unknown;
  stream?: TextSink;
}

export function printData<T>(data: T, options: PrintOptions<T>): void {
  const stream = options.stream ?? stdoutSink;
  // Text output shows names and errors from transcripts: no control sequence reaches the terminal.
  const body = options.json
    ? formatJson(options.asJson ? options.asJson(data) : data)
    : safeText(options.text(data), { multiline: true });
  stream.write(body.endsWith("\n") ? body : `${body}\n`);
}

/**
 * Standard output written synchronously to fd 1. The first touch of `process.stdout` builds
 * Node's stream stack, about 12 ms at every start of the compiled executable
 * (bench/results/cli.md); a command that prints one document does not need it. EAGAIN (a
 * non-blocking pipe that is full) is retried until the reader catches up.
 */
export const stdoutSink: TextSink = {
  write(chunk: string) {
    let bytes = Buffer.from(chunk);
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(writeSync(1, bytes));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      }
    }
  },
};

/** Pretty JSON; bigint (SQLite counters can be) becomes a number or, if too large, a string. */
export function formatJson(data: unknown): string {
  return JSON.stringify(
    data,
    (_key, value: unknown) => {
      if (typeof value !== "bigint") return value;
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    },
    2,
  );
}

/**
 * Columns padded to the widest cell; the last column is not padded so lines have no trailing
 * blanks. Cells carry names and errors from transcripts: control characters are shown escaped.
 */
export function formatTable(
  headers: readonly string[],
  dirtyRows: readonly (readonly string[])[],
): string {
  const rows = dirtyRows.map((row) => row.map((cell) => safeText(cell)));
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((row) => (row[col] ?? "").length)));
  const render = (row: readonly string[]) =>
    widths
      .map((width, col) => {
        const cell = row[col] ?? "";
        return col === widths.length - 1 ? cell : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [render(headers), ...rows.map(render)].join("\n");
}

export type { TextSink };
