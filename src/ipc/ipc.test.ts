import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/tmp.ts";
import { AgentworkError } from "../core/errors.ts";
import { ipcRequest, isDaemonListening } from "./client.ts";
import { type IpcRequest, MAX_MESSAGE_BYTES, unwrapResponse } from "./protocol.ts";
import { type IpcHandler, type IpcServer, startIpcServer } from "./server.ts";
import { rawConnect } from "./test-socket.ts";

const servers: IpcServer[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handle: IpcHandler, extra: { maxConnections?: number } = {}) {
  const socketPath = join(tempDir(), "agentwork.db.sock");
  const server = await startIpcServer({ socketPath, handle, ...extra });
  servers.push(server);
  return { socketPath, server };
}

const echo: IpcHandler = async (request) => ({ type: request.type, payload: request.payload });

/** A promise plus the function that resolves it, for handlers that wait on the test. */
function gate<T = void>() {
  let open: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("round trip", () => {
  test("a request gets its data back, with its id", async () => {
    const { socketPath } = await serve(echo);
    const payload = { type: "session-finalize", name: "a", extra: 1 };
    const response = await ipcRequest(socketPath, { id: "r1", type: "enqueue", payload });
    expect(response).toEqual({ id: "r1", success: true, data: { type: "enqueue", payload } });
  });

  test("a large response survives partial writes", async () => {
    const big = "x".repeat(900 * 1024);
    const { socketPath } = await serve(async () => big);
    const response = await ipcRequest(socketPath, { type: "status" });
    expect(unwrapResponse(response!)).toBe(big);
  });

  test("requests on one connection are answered in order", async () => {
    const { socketPath } = await serve(echo);
    const conn = await rawConnect(socketPath);
    conn.send('{"type":"status","payload":1}\n{"type":"sync","payload":2}\n');
    expect(await conn.next()).toMatchObject({ data: { type: "status", payload: 1 } });
    expect(await conn.next()).toMatchObject({ data: { type: "sync", payload: 2 } });
    conn.end();
  });
});

describe("errors", () => {
  test("an AgentworkError keeps its code; anything else is E_INTERNAL", async () => {
    const { socketPath } = await serve(async (request) => {
      if (request.type === "retry") throw new AgentworkError("E_NOT_FOUND", "no item 42");
      throw new TypeError("boom");
    });
    const notFound = await ipcRequest(socketPath, {
      id: "a",
      type: "retry",
      payload: { id: "42" },
    });
    expect(notFound).toEqual({
      id: "a",
      success: false,
      error: { code: "E_NOT_FOUND", message: "no item 42" },
    });
    const internal = await ipcRequest(socketPath, { type: "sync" });
    expect(internal?.error).toEqual({ code: "E_INTERNAL", message: "boom" });
    try {
      unwrapResponse(notFound!);
      throw new Error("expected a throw");
    } catch (error) {
      expect((error as AgentworkError).code).toBe("E_NOT_FOUND");
    }
  });

  test("a malformed line gets an error and the connection stays usable", async () => {
    const { socketPath } = await serve(echo);
    const conn = await rawConnect(socketPath);
    conn.send("this is not json\n");
    expect(await conn.next()).toMatchObject({ success: false, error: { code: "E_IPC" } });
    conn.send('{"id":"x","type":"bogus"}\n[1]\n{"type":"status"}\n');
    const unknown = (await conn.next()) as { id: string; error: { message: string } };
    expect(unknown.id).toBe("x");
    expect(unknown.error.message).toContain("expected one of: status, enqueue");
    expect(await conn.next()).toMatchObject({ success: false });
    expect(await conn.next()).toMatchObject({ success: true, data: { type: "status" } });
    conn.end();
  });

  test("a message over 1 MiB gets an error and the connection is closed", async () => {
    let calls = 0;
    const { socketPath } = await serve(async () => ++calls);
    const conn = await rawConnect(socketPath);
    conn.send(`{"type":"status","payload":"${"y".repeat(MAX_MESSAGE_BYTES)}"}\n`);
    expect(await conn.next()).toMatchObject({
      success: false,
      error: { code: "E_IPC", message: expect.stringContaining("1 MiB") },
    });
    await conn.closed;
    expect(calls).toBe(0);
    // The server itself is fine.
    expect((await ipcRequest(socketPath, { type: "status" }))?.data).toBe(1);
  });

  test("a daemon that does not answer in time is E_IPC", async () => {
    const never = gate();
    const { socketPath } = await serve(async () => never.promise);
    const error = await ipcRequest(socketPath, { type: "detect" }, { timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AgentworkError);
    expect((error as AgentworkError).code).toBe("E_IPC");
    expect((error as Error).message).toContain("did not answer");
    never.open();
  });
});

describe("connections", () => {
  test("50 clients are served at the same time", async () => {
    const n = 50;
    const allIn = gate();
    let arrived = 0;
    const { socketPath } = await serve(async (request) => {
      if (++arrived === n) allIn.open();
      // Nobody answers until every client is connected and waiting: proof they overlap.
      await allIn.promise;
      return request.id;
    });
    const requests: IpcRequest[] = Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      type: "status",
    }));
    const responses = await Promise.all(requests.map((r) => ipcRequest(socketPath, r)));
    expect(responses.map((r) => r?.data)).toEqual(requests.map((r) => r.id));
  });

  test("connections over the limit are refused with an error, and slots free up", async () => {
    const release = gate();
    const bothIn = gate();
    let arrived = 0;
    const { socketPath } = await serve(
      async () => {
        if (++arrived === 2) bothIn.open();
        await release.promise;
        return "ok";
      },
      { maxConnections: 2 },
    );
    const held = [1, 2].map(() => ipcRequest(socketPath, { type: "status" }));
    await bothIn.promise;
    const third = await rawConnect(socketPath);
    expect(await third.next()).toMatchObject({
      success: false,
      error: { message: expect.stringContaining("too many connections") },
    });
    await third.closed;
    release.open();
    expect((await Promise.all(held)).map((r) => r?.data)).toEqual(["ok", "ok"]);
    expect((await ipcRequest(socketPath, { type: "status" }))?.data).toBe("ok");
  });
});

describe("the socket file", () => {
  test("is owner-only and the umask is restored", async () => {
    const before = process.umask();
    const { socketPath } = await serve(echo);
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(process.umask()).toBe(before);
  });

  test("close() removes it and the client then finds no daemon", async () => {
    const { socketPath, server } = await serve(echo);
    expect(await isDaemonListening(socketPath)).toBe(true);
    server.close();
    server.close();
    expect(existsSync(socketPath)).toBe(false);
    expect(await isDaemonListening(socketPath)).toBe(false);
    expect(await ipcRequest(socketPath, { type: "status" })).toBeNull();
  });

  test("a live daemon's socket is not taken over", async () => {
    const { socketPath } = await serve(async () => "first");
    const error = await startIpcServer({ socketPath, handle: echo }).catch((e: unknown) => e);
    expect((error as AgentworkError).code).toBe("E_DAEMON_RUNNING");
    expect((await ipcRequest(socketPath, { type: "status" }))?.data).toBe("first");
  });

  test("a stale socket from a killed daemon is replaced", async () => {
    const socketPath = join(tempDir(), "stale.db.sock");
    const child = Bun.spawn(
      [
        process.execPath,
        "-e",
        `Bun.listen({ unix: ${JSON.stringify(socketPath)}, socket: { data() {} } }); console.log("ready");`,
      ],
      { stdout: "pipe", stderr: "inherit" },
    );
    const reader = child.stdout.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("ready");
    child.kill("SIGKILL");
    await child.exited;
    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(await isDaemonListening(socketPath)).toBe(false);
    expect(await ipcRequest(socketPath, { type: "status" })).toBeNull();

    const server = await startIpcServer({ socketPath, handle: async () => "new" });
    servers.push(server);
    expect((await ipcRequest(socketPath, { type: "status" }))?.data).toBe("new");
  });

  test("a regular file in the way is left alone", async () => {
    const socketPath = join(tempDir(), "agentwork.db.sock");
    writeFileSync(socketPath, "precious");
    const error = await startIpcServer({ socketPath, handle: echo }).catch((e: unknown) => e);
    expect((error as AgentworkError).code).toBe("E_IPC");
    expect(readFileSync(socketPath, "utf8")).toBe("precious");
  });

  test("a path too long for a Unix socket is a clear error", async () => {
    const socketPath = join(tempDir(), `${"d".repeat(120)}.db.sock`);
    const error = await startIpcServer({ socketPath, handle: echo }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("too long");
  });
});

describe("client without a daemon", () => {
  test("no socket file: null, not an error", async () => {
    const socketPath = join(tempDir(), "none.db.sock");
    expect(await ipcRequest(socketPath, { type: "status" })).toBeNull();
    expect(await isDaemonListening(socketPath)).toBe(false);
  });
});

describe("idle and hoarded connections", () => {
  test("a connection that sends nothing is closed after the idle timeout", async () => {
    const socketPath = join(tempDir(), "agentwork.db.sock");
    const server = await startIpcServer({ socketPath, handle: echo, idleTimeoutMs: 1000 });
    servers.push(server);
    const idle = await rawConnect(socketPath);
    expect(await idle.next()).toMatchObject({
      success: false,
      error: { message: expect.stringContaining("idle") },
    });
    await idle.closed;
  });

  test("a connection waiting on a slow request is not idle", async () => {
    const release = gate();
    const arrived = gate();
    const socketPath = join(tempDir(), "agentwork.db.sock");
    const server = await startIpcServer({
      socketPath,
      idleTimeoutMs: 1000,
      handle: async () => {
        arrived.open();
        await release.promise;
        return "slow";
      },
    });
    servers.push(server);
    const busy = await rawConnect(socketPath);
    busy.send('{"type":"status"}\n');
    await arrived.promise;
    // A second idle connection times out meanwhile: proof the idle timer ran past 1 s.
    const other = await rawConnect(socketPath);
    await other.closed;
    release.open();
    expect(await busy.next()).toMatchObject({ success: true, data: "slow" });
    busy.end();
  });

  test("100 idle connections from one client do not lock the CLI out", async () => {
    const { socketPath } = await serve(echo, { maxConnections: 100 });
    const hoard = await Promise.all(Array.from({ length: 100 }, () => rawConnect(socketPath)));
    const response = await ipcRequest(socketPath, { type: "status" });
    expect(response?.success).toBe(true);
    expect(await hoard[0]?.next()).toMatchObject({
      success: false,
      error: { message: expect.stringContaining("needed the slot") },
    });
    for (const conn of hoard) conn.end();
  });

  test("a bad field type is E_BAD_REQUEST naming the field, not E_INTERNAL", async () => {
    const { socketPath } = await serve(echo);
    const response = await ipcRequest(socketPath, {
      type: "enqueue",
      payload: { type: "session-finalize", name: { evil: true } },
    });
    expect(response).toMatchObject({
      success: false,
      error: { code: "E_BAD_REQUEST", message: expect.stringContaining("`payload.name`") },
    });
  });
});
