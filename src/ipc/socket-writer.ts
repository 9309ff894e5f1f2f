import type { Socket } from "bun";

/**
 * Bun's socket.write() may accept only part of the data when the peer reads slowly; the rest must
 * be written again from the `drain` callback. This keeps that bookkeeping in one place.
 */
export class SocketWriter {
  private pending: Uint8Array[] = [];
  private endWhenFlushed = false;

  constructor(private readonly socket: Socket<unknown>) {}

  write(text: string): void {
    if (this.endWhenFlushed) return;
    this.pending.push(Buffer.from(text, "utf8"));
    this.flush();
  }

  /** Ends the connection once everything queued so far has been written. */
  endAfterFlush(): void {
    this.endWhenFlushed = true;
    this.flush();
  }

  /** Call from the socket's drain handler. */
  flush(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const written = this.socket.write(head);
      if (written < 0) {
        this.pending = [];
        return;
      }
      if (written < head.byteLength) {
        this.pending[0] = head.subarray(written);
        return;
      }
      this.pending.shift();
    }
    if (this.endWhenFlushed) this.socket.end();
  }
}
