import type { Socket } from "bun";
import { LineReader } from "./line-reader.ts";
import { SocketWriter } from "./socket-writer.ts";

/**
 * A raw NDJSON connection for tests that need to misbehave (malformed lines, oversize messages,
 * pipelining) in ways ipcRequest never would.
 */
export interface RawConnection {
  send(text: string): void;
  /** The next line the server sent, parsed; waits for it. */
  next(): Promise<unknown>;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
  end(): void;
}

export async function rawConnect(socketPath: string): Promise<RawConnection> {
  const reader = new LineReader(64 * 1024 * 1024);
  const lines: unknown[] = [];
  const waiters: ((line: unknown) => void)[] = [];
  let onClose: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    onClose = resolve;
  });
  let writer: SocketWriter | null = null;
  const socket = await Bun.connect({
    unix: socketPath,
    socket: {
      data(_s, chunk) {
        for (const line of reader.push(chunk).lines) {
          const parsed: unknown = JSON.parse(line);
          const waiter = waiters.shift();
          if (waiter) waiter(parsed);
          else lines.push(parsed);
        }
      },
      drain() {
        writer?.flush();
      },
      close() {
        onClose();
      },
    },
  });
  writer = new SocketWriter(socket as Socket<unknown>);
  return {
    send: (text) => writer?.write(text),
    next: () =>
      lines.length > 0
        ? Promise.resolve(lines.shift())
        : new Promise((resolve) => {
            waiters.push(resolve);
          }),
    closed,
    end: () => socket.end(),
  };
}
