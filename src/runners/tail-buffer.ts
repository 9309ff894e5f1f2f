/**
 * Keeps only the last `capBytes` of a byte stream (stderr of an agent), so a chatty child cannot
 * grow memory while the end, where the error usually is, stays available for messages.
 */
export class TailBuffer {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly capBytes = 64 * 1024) {}

  push(chunk: Uint8Array): void {
    const keep = chunk.byteLength > this.capBytes ? chunk.subarray(-this.capBytes) : chunk;
    this.parts.push(keep.slice());
    this.size += keep.byteLength;
    while (this.size - (this.parts[0]?.byteLength ?? 0) >= this.capBytes) {
      this.size -= this.parts.shift()!.byteLength;
    }
  }

  /** The retained bytes as text; a character cut at the front shows as U+FFFD. */
  text(): string {
    const joined = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      joined.set(part, offset);
      offset += part.byteLength;
    }
    return new TextDecoder().decode(joined.subarray(Math.max(0, this.size - this.capBytes)));
  }
}
