/** Where text goes: stdout, stderr, or a test's buffer. */
export interface TextSink {
  write(chunk: string): unknown;
}

/**
 * Progress for long operations. On a terminal it redraws one line in place; when stderr is a file
 * or a pipe (CI logs, journald) it prints one plain line per step, because carriage returns and
 * escape codes turn a log into noise.
 */
export interface ProgressOptions {
  /** Number of steps, or null when unknown. */
  total: number | null;
  label: string;
  stream: TextSink & { columns?: number };
  isTTY: boolean;
}

export interface Progress {
  /** One step finished; detail is a short description of it. */
  tick(detail?: string): void;
  /** Ends the display; the summary replaces the in-place line on a terminal. */
  done(summary?: string): void;
}

const CLEAR_LINE = "\r\x1b[2K";

export function createProgress(options: ProgressOptions): Progress {
  const { total, label, stream, isTTY } = options;
  let count = 0;
  let drawn = false;
  let finished = false;

  const line = (detail: string | undefined) => {
    const counter = total === null ? `${count}` : `${count}/${total}`;
    return detail ? `${label} [${counter}] ${detail}` : `${label} [${counter}]`;
  };
  // A line wider than the terminal wraps, and \r then only clears the last row of it.
  const fit = (text: string) => {
    const columns = stream.columns;
    return columns && columns > 1 && text.length >= columns
      ? `${text.slice(0, columns - 2)}…`
      : text;
  };

  return {
    tick(detail) {
      if (finished) return;
      count++;
      if (isTTY) {
        stream.write(`${CLEAR_LINE}${fit(line(detail))}`);
        drawn = true;
      } else {
        stream.write(`${line(detail)}\n`);
      }
    },
    done(summary) {
      if (finished) return;
      finished = true;
      if (isTTY) {
        if (summary !== undefined) stream.write(`${CLEAR_LINE}${fit(`${label}: ${summary}`)}\n`);
        else if (drawn) stream.write("\n");
      } else if (summary !== undefined) {
        stream.write(`${label}: ${summary}\n`);
      }
    },
  };
}
