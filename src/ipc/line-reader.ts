/**
 * Splits a byte stream into lines, refusing any line longer than maxBytes. Sizes are counted in
 * bytes before decoding, so a peer cannot make us buffer without limit by never sending "\n".
 */
export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** The complete lines in this chunk; overflow means the peer broke the size limit. */
  push(chunk: Uint8Array): { lines: string[]; overflow: boolean } {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const piece = buf.subarray(start, nl);
      if (this.size + piece.length > this.maxBytes) return { lines, overflow: true };
      const line = Buffer.concat([...this.parts, piece]).toString("utf8");
      this.parts = [];
      this.size = 0;
      start = nl + 1;
      const trimmed = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (trimmed.trim() !== "") lines.push(trimmed);
    }
    const rest = buf.subarray(start);
    if (this.size + rest.length > this.maxBytes) return { lines, overflow: true };
    // Copied: the runtime may reuse the chunk's memory for the next read.
    if (rest.length > 0) this.parts.push(Buffer.from(rest));
    this.size += rest.length;
    return { lines, overflow: false };
  }
}
