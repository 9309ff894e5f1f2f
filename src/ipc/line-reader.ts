import { LineSplitter } from "../core/line-splitter.ts";

/**
 * The socket's view of the shared LineSplitter: the non-blank lines of each chunk, and whether
 * the peer broke the size limit. Sizes are counted in bytes before decoding, so a peer cannot
 * make us buffer without limit by never sending "\n"; the server closes such a connection.
 */
export class LineReader {
  private readonly splitter: LineSplitter;
  private lines: string[] = [];
  private overflow = false;

  constructor(maxBytes: number) {
    this.splitter = new LineSplitter(
      (line) => {
        if (line.trim() !== "") this.lines.push(line);
      },
      maxBytes,
      () => {
        this.overflow = true;
      },
    );
  }

  /** The complete lines in this chunk; overflow means the peer broke the size limit. */
  push(chunk: Uint8Array): { lines: string[]; overflow: boolean } {
    this.splitter.push(chunk);
    const result = { lines: this.lines, overflow: this.overflow };
    this.lines = [];
    return result;
  }
}
