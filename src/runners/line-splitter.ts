/**
 * Splits a byte stream into text lines as chunks arrive. Chunks cut lines (and UTF-8 characters)
 * anywhere, so bytes are buffered until a newline and only whole lines are decoded. A line longer
 * than `maxLineBytes` is dropped as it streams in, so one runaway line cannot exhaust memory.
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
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, newline));
      this.emit();
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
      return;
    }
    // Copy: the stream may reuse the chunk's buffer after the callback returns.
    this.parts.push(bytes.slice());
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
    let line = this.decoder.decode(bytes);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    this.onLine(line);
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
