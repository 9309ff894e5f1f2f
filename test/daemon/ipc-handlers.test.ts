import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSettings } from "../../src/config/load.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { createIpcHandler } from "../../src/daemon/ipc-handlers.ts";
import { createRuntime, type Runtime } from "../../src/daemon/runtime.ts";
import { ipcRequest } from "../../src/ipc/client.ts";
import { unwrapResponse } from "../../src/ipc/protocol.ts";
import { startIpcServer } from "../../src/ipc/server.ts";
import type { EnqueueReply } from "../../src/operations/replies.ts";
import {
  acquireDaemonLock,
  daemonHolder,
  releaseDaemonLock,
} from "../../src/scheduler/daemon-lock.ts";
import type { AgentWorkStatus } from "../../src/scheduler/status.ts";
import { FakeClock } from "../support/clock.ts";
import { fakeAgent, printLines } from "../support/fake-agents/fake-agent.ts";
import { resultLine } from "../support/fake-agents/fixtures.ts";
import { dialogue, HEADER, plainLedger, writeSession } from "../support/ledger.ts";
import { tempDir } from "../support/tmp.ts";

const SUMMARY = JSON.stringify({ title: "Fixed it", summary: "Done.", quality_score: 0.5 });
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A daemon's runtime and socket, in-process, with a fake `claude` that answers a summary. */
async function daemon(
  agentBody = `${printLines(resultLine({ result: SUMMARY }))}\nexit 0`,
  extraEnv: Record<string, string> = {},
) {
  const { ledger, sessions } = plainLedger();
  const home = tempDir();
  const agent = fakeAgent(agentBody);
  const settings = loadSettings({
    flags: { db: join(tempDir(), "agentwork.db"), ledger },
    env: { HOME: home, PATH: "/usr/bin:/bin", AGENTWORK_AGENT_BIN: agent.bin, ...extraEnv },
  });
  const runtime: Runtime = createRuntime(settings, ledger, { logger: silentLogger() });
  const server = await startIpcServer({
    socketPath: settings.paths.socket,
    handle: createIpcHandler(runtime),
  });
  closers.push(() => {
    server.close();
    runtime.close();
  });
  const ask = async <T>(type: Parameters<typeof ipcRequest>[1]["type"], payload?: unknown) => {
    const response = await ipcRequest(settings.paths.socket, { type, payload });
    if (!response) throw new Error("no daemon answered");
    return unwrapResponse(response) as T;
  };
  return { runtime, sessions, ask, agent };
}

describe("the daemon's socket requests", () => {
  test("enqueue runs at once and dedups; status reports it", async () => {
    const { runtime, sessions, ask } = await daemon();
    writeSession(sessions, "s1", { lines: [HEADER, ...dialogue()] });
    const completed = runtime.scheduler.events.next("job:completed");
    const first = await ask<EnqueueReply>("enqueue", { type: "session-finalize", name: "s1" });
    expect(first.queued).toBe(true);
    const again = await ask<EnqueueReply>("enqueue", { type: "session-finalize", name: "s1" });
    expect(again).toEqual({ queued: false, reason: "duplicate", existing_id: first.id });
    await completed;
    const status = await ask<AgentWorkStatus>("status");
    expect(status.stats.successes).toBe(1);
    expect(status.counts.done).toBe(1);
  });

  test("an unsafe session name and an unknown type are refused with their codes", async () => {
    const { ask } = await daemon();
    await expect(
      ask("enqueue", { type: "session-finalize", name: "../etc" }),
    ).rejects.toMatchObject({ code: "E_UNSAFE_PATH" });
    await expect(ask("enqueue", { type: "nope", name: "x" })).rejects.toMatchObject({
      code: "E_USAGE",
    });
  });

  test("detect counts what it queued; sync drains; cancel and retry work by id", async () => {
    const { runtime, sessions, ask, agent } = await daemon();
    // No agent installed yet: items wait in the queue.
    renameSync(agent.bin, `${agent.bin}.later`);
    writeSession(sessions, "a", { lines: [HEADER, ...dialogue()] });
    writeSession(sessions, "b", { lines: [HEADER, ...dialogue()] });
    expect(await ask("detect")).toEqual({ queued: 2 });
    expect(await ask("detect")).toEqual({ queued: 0 });
    const [a, b] = runtime.storage.queue.list();
    expect(await ask("cancel", { id: a!.id })).toMatchObject({ ok: true });
    expect(await ask("sync")).toEqual({ started: 0 });
    const retried = await ask<{ results: { ok: boolean }[] }>("retry", { id: a!.id });
    expect(retried.results).toEqual([expect.objectContaining({ ok: true })]);
    renameSync(`${agent.bin}.later`, agent.bin);
    const both = new Promise<void>((resolve) => {
      let n = 0;
      runtime.scheduler.events.on("job:completed", () => {
        if (++n === 2) resolve();
      });
    });
    await ask("sync");
    await both;
    expect(runtime.storage.queue.get(b!.id)?.state).toBe("done");
  });
});

describe("names are data; held sessions wait for publish", () => {
  test("enqueue of a session that does not exist is refused, the name quoted with its escapes", async () => {
    const { runtime, ask } = await daemon();
    const name = "\u001b]0;pwned\u0007\u001b[31mred";
    const refused = ask("enqueue", { type: "session-finalize", name });
    await expect(refused).rejects.toMatchObject({ code: "E_NOT_FOUND" });
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain("\\u001b]0;pwned\\u0007");
    expect(message).not.toContain("\u001b");
    expect(runtime.storage.queue.list()).toEqual([]);
  });

  test("a .held session gets its exports only; enqueue refuses it; publish releases and finalizes it", async () => {
    const { runtime, sessions, ask } = await daemon();
    const dir = writeSession(sessions, "h", { lines: [HEADER, ...dialogue()] });
    writeFileSync(join(dir, ".held"), "{}");
    expect(await ask("detect")).toEqual({ queued: 0 });
    expect(existsSync(join(dir, "session.md"))).toBe(true);
    expect(existsSync(join(dir, "summary.json"))).toBe(false);
    await expect(ask("enqueue", { type: "session-finalize", name: "h" })).rejects.toMatchObject({
      code: "E_SESSION_HELD",
    });
    await expect(ask("publish", { name: "nope" })).rejects.toMatchObject({ code: "E_NOT_FOUND" });
    const completed = runtime.scheduler.events.next("job:completed");
    expect(await ask("publish", { name: "h" })).toEqual({ published: ["h"], not_held: [] });
    await completed;
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
    expect(existsSync(join(dir, ".held"))).toBe(false);
    expect(await ask("publish", { name: "h" })).toEqual({ published: [], not_held: ["h"] });
  });

  test("publishing: manual holds every session until publish --all", async () => {
    const { runtime, sessions, ask } = await daemon(undefined, { AGENTWORK_PUBLISHING: "manual" });
    writeSession(sessions, "a", { lines: [HEADER, ...dialogue()] });
    writeSession(sessions, "b", { lines: [HEADER, ...dialogue()] });
    expect(await ask("detect")).toEqual({ queued: 0 });
    expect(runtime.handler.lastDetect.held.map((p) => p.session_name)).toEqual(["a", "b"]);
    const both = new Promise<void>((resolve) => {
      let n = 0;
      runtime.scheduler.events.on("job:completed", () => {
        if (++n === 2) resolve();
      });
    });
    expect(await ask("publish", { all: true })).toEqual({ published: ["a", "b"], not_held: [] });
    await both;
    for (const n of ["a", "b"]) expect(existsSync(join(sessions, n, "summary.json"))).toBe(true);
    await expect(ask("publish", { all: true, name: "a" })).rejects.toMatchObject({
      code: "E_USAGE",
    });
  });
});

describe("one daemon per database", () => {
  test("a live holder is refused by pid; a dead one is replaced; release frees it", () => {
    const settings = loadSettings({
      flags: { db: join(tempDir(), "lock.db"), ledger: tempDir() },
      env: { HOME: tempDir(), PATH: "/usr/bin:/bin" },
    });
    const rt = createRuntime(settings, tempDir(), { logger: silentLogger() });
    closers.push(() => rt.close());
    const clock = new FakeClock();
    const state = rt.storage.state;
    const alive = new Set([111]);
    const isAlive = (pid: number) => alive.has(pid);
    acquireDaemonLock(state, { pid: 111, clock, isAlive, dbPath: "db" });
    expect(() => acquireDaemonLock(state, { pid: 222, clock, isAlive, dbPath: "db" })).toThrow(
      /pid 111/,
    );
    expect(daemonHolder(state, isAlive)).toBe(111);
    alive.delete(111);
    acquireDaemonLock(state, { pid: 222, clock, isAlive, dbPath: "db" });
    expect(daemonHolder(state, () => true)).toBe(222);
    releaseDaemonLock(state, 222);
    expect(daemonHolder(state, () => true)).toBeNull();
  });
});
