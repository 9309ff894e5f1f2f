import { chmodSync, lstatSync, statSync, unlinkSync } from "node:fs";
import type { Socket, TCPSocketListener, UnixSocketListener } from "bun";
import { AgentworkError, coerceError } from "../core/errors.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import { isDaemonListening } from "./client.ts";
import { LineReader } from "./line-reader.ts";
import {
  encodeLine,
  errorResponse,
  IDLE_TIMEOUT_MS,
  type IpcRequest,
  type IpcResponse,
  ipcError,
  MAX_CONNECTIONS,
  MAX_MESSAGE_BYTES,
  parseRequest,
  successResponse,
} from "./protocol.ts";
import { SocketWriter } from "./socket-writer.ts";

export type IpcHandler = (request: IpcRequest) => Promise<unknown>;

export interface IpcServerOptions {
  socketPath: string;
  handle: IpcHandler;
  logger?: Logger;
  maxConnections?: number;
  maxMessageBytes?: number;
  /** Idle connections (no request in flight) close after this; Bun counts whole seconds. */
  idleTimeoutMs?: number;
}

export interface IpcServer {
  readonly socketPath: string;
  /** Stops listening, drops open connections and removes the socket file (if still ours). */
  close(): void;
}

interface Connection {
  reader: LineReader;
  writer: SocketWriter | null;
  /** Requests on one connection are answered in order, so a client needs no ids. */
  chain: Promise<void>;
  /** Holds one of the maxConnections slots. */
  counted: boolean;
  /** No more requests are read (refused, or the peer broke the size limit). */
  closing: boolean;
  /** The socket is closed; responses still in flight are dropped. */
  gone: boolean;
  /** Requests received and not yet answered: a busy connection is never idle. */
  pending: number;
}

// sun_path is 108 bytes on Linux and 104 on macOS, including the terminating NUL.
export const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Listens on a Unix socket that only the owner can open. Throws E_DAEMON_RUNNING when another
 * daemon answers on the path, and replaces a socket file left behind by a crashed one.
 */
export async function startIpcServer(options: IpcServerOptions): Promise<IpcServer> {
  const { socketPath, handle } = options;
  const logger = options.logger ?? silentLogger();
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw ipcError(
      `socket path ${socketPath} is too long for a Unix socket (limit ${MAX_SOCKET_PATH_BYTES} bytes); use a shorter --db path`,
    );
  }
  await removeStaleSocket(socketPath);

  const idleSeconds = Math.max(1, Math.round((options.idleTimeoutMs ?? IDLE_TIMEOUT_MS) / 1000));
  // Counted connections in the order they arrived: the first idle one is the one to drop.
  const live = new Set<Connection>();
  const closeWith = (conn: Connection, message: string) => {
    conn.closing = true;
    respond(conn, errorResponse(undefined, ipcError(message)));
    conn.writer?.endAfterFlush();
  };
  /**
   * Every peer on an owner-only socket is the same user, so "per peer" cannot be told apart by
   * uid: instead a full table never locks the CLI out while any slot is idle. The longest-idle
   * connection gives its slot to the newcomer; only connections with a request in flight hold on.
   */
  const freeSlot = (): boolean => {
    if (live.size < maxConnections) return true;
    for (const conn of live) {
      if (conn.pending > 0 || conn.closing) continue;
      closeWith(conn, "closed: idle, and the daemon needed the slot for a new connection");
      release(conn);
      return true;
    }
    return false;
  };
  const release = (conn: Connection) => {
    if (conn.counted) live.delete(conn);
    conn.counted = false;
  };
  const respond = (conn: Connection, response: IpcResponse) => {
    if (conn.gone || !conn.writer) return;
    let line = encodeLine(response);
    if (Buffer.byteLength(line) > maxBytes) {
      line = encodeLine(errorResponse(response.id, ipcError("the response is larger than 1 MiB")));
    }
    conn.writer.write(line);
  };
  const serve = async (conn: Connection, line: string) => {
    const parsed = parseRequest(line);
    if (!parsed.ok) return respond(conn, errorResponse(parsed.id, parsed.error));
    const { request } = parsed;
    try {
      respond(conn, successResponse(request.id, await handle(request)));
    } catch (error) {
      const coerced = coerceError(error);
      if (!(error instanceof AgentworkError)) logger.error(`ipc ${request.type} failed`, error);
      respond(conn, errorResponse(request.id, coerced));
    }
  };
  const serveCounted = async (conn: Connection, line: string) => {
    try {
      await serve(conn, line);
    } finally {
      conn.pending--;
    }
  };

  let listener: UnixSocketListener<Connection> | TCPSocketListener<Connection>;
  // The socket is created by listen(); a restrictive umask means it never exists world-accessible.
  const oldUmask = process.umask(0o177);
  try {
    listener = Bun.listen<Connection>({
      unix: socketPath,
      socket: {
        open(socket: Socket<Connection>) {
          const conn: Connection = {
            reader: new LineReader(maxBytes),
            writer: new SocketWriter(socket as Socket<unknown>),
            chain: Promise.resolve(),
            counted: freeSlot(),
            closing: false,
            gone: false,
            pending: 0,
          };
          socket.data = conn;
          if (!conn.counted) {
            closeWith(conn, "too many connections; try again");
            return;
          }
          live.add(conn);
          socket.timeout(idleSeconds);
        },
        timeout(socket) {
          const conn = socket.data;
          if (conn.pending > 0 || conn.closing) return;
          closeWith(conn, `closed: idle for ${idleSeconds} s`);
        },
        data(socket, chunk) {
          const conn = socket.data;
          if (conn.closing) return;
          const { lines, overflow } = conn.reader.push(chunk);
          for (const line of lines) {
            conn.pending++;
            conn.chain = conn.chain.then(() => serveCounted(conn, line));
          }
          if (overflow) {
            conn.closing = true;
            conn.chain = conn.chain.then(() => {
              respond(
                conn,
                errorResponse(undefined, ipcError("message larger than 1 MiB; closing")),
              );
              conn.writer?.endAfterFlush();
            });
          }
        },
        drain(socket) {
          socket.data.writer?.flush();
        },
        close(socket) {
          const conn = socket.data;
          release(conn);
          conn.gone = true;
          conn.writer = null;
        },
        error(_socket, error) {
          logger.debug(`ipc connection error: ${error.message}`);
        },
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw daemonRunning(socketPath);
    throw ipcError(`cannot listen on ${socketPath}: ${(error as Error).message}`, error);
  } finally {
    process.umask(oldUmask);
  }
  chmodSync(socketPath, 0o600);
  const inode = statSync(socketPath).ino;
  logger.debug(`ipc listening on ${socketPath}`);

  let stopped = false;
  return {
    socketPath,
    close() {
      if (stopped) return;
      stopped = true;
      listener.stop(true);
      // Only our own file: a newer daemon may already have replaced it.
      try {
        if (statSync(socketPath).ino === inode) unlinkSync(socketPath);
      } catch {
        // Already gone.
      }
    },
  };
}

async function removeStaleSocket(socketPath: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(socketPath).isSocket();
  } catch {
    return;
  }
  if (!isSocket) {
    throw ipcError(`${socketPath} exists and is not a socket; refusing to replace it`);
  }
  if (await isDaemonListening(socketPath)) throw daemonRunning(socketPath);
  unlinkSync(socketPath);
}

function daemonRunning(socketPath: string): AgentworkError {
  return new AgentworkError(
    "E_DAEMON_RUNNING",
    `another agentwork daemon is already listening on ${socketPath}`,
    { retry: "never" },
  );
}
