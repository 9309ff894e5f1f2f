import { existsSync } from "node:fs";
import type { Socket } from "bun";
import { realTimers } from "../core/timers.ts";
import { LineReader } from "./line-reader.ts";
import {
  encodeLine,
  type IpcRequest,
  type IpcRequestType,
  type IpcResponse,
  ipcError,
  MAX_MESSAGE_BYTES,
  parseResponse,
  unwrapResponse,
} from "./protocol.ts";
import { SocketWriter } from "./socket-writer.ts";

export const DEFAULT_IPC_TIMEOUT_MS = 10_000;

/** Errors from connect() that mean "no daemon here", as opposed to a broken one. */
const NO_DAEMON = new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK"]);

/**
 * Sends one request and waits for its response. Resolves null when no daemon is listening (no
 * socket file, or a stale one), which is the CLI's cue to read the database directly. Throws E_IPC
 * on a timeout, a connection dropped before the answer, or a malformed answer.
 */
export async function ipcRequest(
  socketPath: string,
  request: IpcRequest,
  options: { timeoutMs?: number } = {},
): Promise<IpcResponse | null> {
  // No socket file, no daemon: a stat instead of a connect attempt (every CLI command asks).
  if (!existsSync(socketPath)) return null;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IPC_TIMEOUT_MS;
  const reader = new LineReader(MAX_MESSAGE_BYTES);
  let settle: (result: IpcResponse | Error) => void = () => {};
  const outcome = new Promise<IpcResponse | Error>((resolve) => {
    settle = resolve;
  });
  let socket: Socket<undefined>;
  try {
    socket = await Bun.connect({
      unix: socketPath,
      socket: {
        data(_socket, chunk) {
          const { lines, overflow } = reader.push(chunk);
          if (overflow) return settle(ipcError("the daemon's response is larger than 1 MiB"));
          const first = lines[0];
          if (first === undefined) return;
          try {
            settle(parseResponse(first));
          } catch (error) {
            settle(error as Error);
          }
        },
        drain() {
          writer.flush();
        },
        close() {
          settle(ipcError(`the daemon closed the connection before answering "${request.type}"`));
        },
        error(_socket, error) {
          settle(ipcError(`ipc connection error: ${error.message}`, error));
        },
      },
    });
  } catch (error) {
    if (NO_DAEMON.has((error as NodeJS.ErrnoException).code ?? "")) return null;
    throw ipcError(`cannot connect to ${socketPath}: ${(error as Error).message}`, error);
  }
  const writer = new SocketWriter(socket as Socket<unknown>);
  const timer = realTimers.setTimeout(
    () => settle(ipcError(`the daemon did not answer "${request.type}" within ${timeoutMs} ms`)),
    timeoutMs,
  );
  writer.write(encodeLine(request));
  const result = await outcome;
  realTimers.clearTimeout(timer);
  socket.end();
  if (result instanceof Error) throw result;
  return result;
}

/** True when something accepts connections on the socket path. */
export async function isDaemonListening(socketPath: string): Promise<boolean> {
  try {
    const socket = await Bun.connect({ unix: socketPath, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks the daemon listening on `socketPath`: its answer (an error answer thrown), or undefined
 * when no daemon listens, so the caller can fall back to the database.
 */
export async function askSocket(
  socketPath: string,
  type: IpcRequestType,
  payload?: unknown,
): Promise<unknown | undefined> {
  const response = await ipcRequest(socketPath, {
    type,
    ...(payload === undefined ? {} : { payload }),
  });
  return response === null ? undefined : unwrapResponse(response);
}
