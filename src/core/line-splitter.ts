/**
 * Splits a byte stream into text lines as chunks arrive: the one line splitter behind the agent's
 * stdout, the IPC socket and raw.jsonl files. Chunks cut lines (and UTF-8 characters) anywhere, so
 * a line that spans chunks is buffered until its newline and only whole lines are decoded; a line
 * inside one chunk is decoded straight from it. A line longer than `maxLineBytes` is dropped as it
 * streams in (`onOversized` fires once, when it crosses the limit), so one runaway line cannot
 * exhaust memory. A trailing "\r" is removed.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private pending = 0;
  private skipping = false;
  private readonly decoder = new TextDecoder();
  /** Lines dropped because they exceeded the cap. */
  skippedLines = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = 10 * 1024 * 1024,
    private readonly onOversized: () => void = () => {},
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      if (this.pending === 0 && !this.skipping && newline - start <= this.maxLineBytes) {
        this.deliver(chunk.subarray(start, newline));
      } else {
        this.append(chunk.subarray(start, newline));
        this.emit();
      }
      start = newline + 1;
    }
  }

  /** Delivers a final line that had no trailing newline. */
  end(): void {
    if (this.pending > 0 || this.skipping) this.emit();
  }

  private append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0 || this.skipping) return;
    if (this.pending + bytes.byteLength > this.maxLineBytes) {
      this.parts = [];
      this.pending = 0;
      this.skipping = true;
      this.onOversized();
      return;
    }
    // Copy: the stream may reuse the chunk's buffer after the callback returns. Not
    // `bytes.slice()`: on a Node Buffer (file reads, sockets) that is a view, not a copy.
    this.parts.push(new Uint8Array(bytes));
    this.pending += bytes.byteLength;
  }

  private emit(): void {
    if (this.skipping) {
      this.skipping = false;
      this.skippedLines++;
      return;
    }
    const bytes = this.parts.length === 1 ? this.parts[0]! : concat(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    this.deliver(bytes);
  }

  private deliver(bytes: Uint8Array): void {
    const line = this.decoder.decode(bytes);
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
