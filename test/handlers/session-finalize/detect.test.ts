import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { hasSubstantiveEntries } from "../../../src/handlers/session-finalize/line-reader.ts";
import {
  deadPid,
  dialogue,
  generateLedger,
  HEADER,
  plainLedger,
  writeSession,
} from "../../support/ledger.ts";
import { tempDir } from "../../support/tmp.ts";
import { HOUR, makeHandler } from "./helpers.ts";

const FULL = [HEADER, ...dialogue()];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe("session-finalize detection (upstream intents 42-57)", () => {
  test("42: one finalized and one unfinalized session -> one item, priority 10, four missing", async () => {
    const { ledger, sessions } = plainLedger();
    writeSession(sessions, "2026-03-14T08-15-dana-A", { lines: FULL });
    writeSession(sessions, "2026-03-14T09-15-dana-B", { lines: FULL, artifacts: true });
    const { handler } = makeHandler(ledger);
    const items = await handler.detect(ledger);
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.type).toBe("session-finalize");
    expect(item.priority).toBe(10);
    expect(item.dedupKey).toBe("session-finalize:2026-03-14T08-15-dana-A");
    expect(item.payload).toEqual({
      session_name: "2026-03-14T08-15-dana-A",
      session_dir: join(sessions, "2026-03-14T08-15-dana-A"),
      raw_path: join(sessions, "2026-03-14T08-15-dana-A", "raw.jsonl"),
      missing: ["summary.md", "summary.json", "session.html", "session.md"],
      ledger_path: ledger,
    });
  });

  test("42b: partial artifacts -> missing listed in canonical order", async () => {
    const { ledger, sessions } = plainLedger();
    const dir = writeSession(sessions, "s1", { lines: FULL });
    writeFileSync(join(dir, "summary.json"), "{}");
    writeFileSync(join(dir, "session.md"), "x");
    const { handler } = makeHandler(ledger);
    const [item] = await handler.detect(ledger);
    expect(item?.payload.missing).toEqual(["summary.md", "session.html"]);
  });

  test("43: no sessions dir, and an empty one -> nothing, no error", async () => {
    const root = tempDir();
    const { handler } = makeHandler(root);
    expect(await handler.detect(root)).toEqual([]);
    mkdirSync(join(root, "sessions"));
    expect(await handler.detect(root)).toEqual([]);
  });

  test("44/45: no raw.jsonl, legacy raw/events dirs (even with raw.jsonl), stray files -> nothing", async () => {
    const { ledger, sessions } = plainLedger();
    mkdirSync(join(sessions, "no-raw"));
    writeSession(sessions, "raw", { lines: FULL });
    writeSession(sessions, "events", { lines: FULL });
    writeFileSync(join(sessions, "stray.txt"), "x");
    const { handler } = makeHandler(ledger);
    expect(await handler.detect(ledger)).toEqual([]);
  });

  test("46: marker 25 h old, no pid, raw present -> item, marker deleted", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const dir = writeSession(sessions, "s", {
      lines: FULL,
      marker: { agent_id: "a", started_at: iso(clock.now() - 25 * HOUR) },
    });
    const items = await handler.detect(ledger);
    expect(items).toHaveLength(1);
    expect(items[0]?.payload.session_dir).toBe(dir);
    expect(items[0]?.payload.missing).toHaveLength(4);
    expect(existsSync(join(dir, ".recording.json"))).toBe(false);
  });

  test("47/52: marker 1 h or 30 min old without pid -> no item, marker kept", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const a = writeSession(sessions, "a", {
      lines: FULL,
      marker: { started_at: iso(clock.now() - HOUR) },
    });
    const b = writeSession(sessions, "b", {
      lines: FULL,
      marker: { started_at: iso(clock.now() - HOUR / 2) },
    });
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(a, ".recording.json"))).toBe(true);
    expect(existsSync(join(b, ".recording.json"))).toBe(true);
  });

  test("24 h exactly is not yet stale (strictly greater-than)", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    writeSession(sessions, "a", {
      lines: FULL,
      marker: { started_at: iso(clock.now() - 24 * HOUR) },
    });
    expect(await handler.detect(ledger)).toEqual([]);
    clock.advance(1);
    expect(await handler.detect(ledger)).toHaveLength(1);
  });

  test("48: marker 48 h old, no raw, no session_file -> no item, marker deleted", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const dir = writeSession(sessions, "s", {
      marker: { started_at: iso(clock.now() - 48 * HOUR) },
    });
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(dir, ".recording.json"))).toBe(false);
  });

  test("49: dead parent pid with a 1-minute-old marker -> item, marker deleted", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const dir = writeSession(sessions, "s", {
      lines: FULL,
      marker: { parent_pid: deadPid(), started_at: iso(clock.now() - 60_000) },
    });
    expect(await handler.detect(ledger)).toHaveLength(1);
    expect(existsSync(join(dir, ".recording.json"))).toBe(false);
  });

  test("a marker from another host: its pid is not checked here, the age rule decides", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const other = { host: "laptop-of-someone-else" };
    // A pid that is alive here (this process) but means another process on that machine.
    const young = writeSession(sessions, "young", {
      lines: FULL,
      marker: { ...other, parent_pid: process.pid, started_at: iso(clock.now() - HOUR) },
    });
    const old = writeSession(sessions, "old", {
      lines: FULL,
      marker: { ...other, parent_pid: process.pid, started_at: iso(clock.now() - 25 * HOUR) },
    });
    // A dead pid on another host is not "dead" either: a 1-minute-old marker stays.
    const dead = writeSession(sessions, "dead", {
      lines: FULL,
      marker: { ...other, parent_pid: deadPid(), started_at: iso(clock.now() - 60_000) },
    });
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["old"]);
    expect(existsSync(join(young, ".recording.json"))).toBe(true);
    expect(existsSync(join(dead, ".recording.json"))).toBe(true);
    expect(existsSync(join(old, ".recording.json"))).toBe(false);
  });

  test("a marker naming this host is judged by its pid as before", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    writeSession(sessions, "s", {
      lines: FULL,
      marker: { host: hostname(), parent_pid: deadPid(), started_at: iso(clock.now() - 60_000) },
    });
    expect(await handler.detect(ledger)).toHaveLength(1);
  });

  test("50/51: live pid (this process) 1 h and 48 h old -> never stale, marker kept", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const a = writeSession(sessions, "a", {
      lines: FULL,
      marker: { parent_pid: process.pid, started_at: iso(clock.now() - HOUR) },
    });
    const b = writeSession(sessions, "b", {
      lines: FULL,
      marker: { parent_pid: process.pid, started_at: iso(clock.now() - 48 * HOUR) },
    });
    expect(await handler.detect(ledger)).toEqual([]);
    expect(existsSync(join(a, ".recording.json"))).toBe(true);
    expect(existsSync(join(b, ".recording.json"))).toBe(true);
  });

  test("53: corrupt marker judged by mtime (25 h -> item; 1 h -> skipped)", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const old = writeSession(sessions, "old", {
      lines: FULL,
      marker: "{not json",
      markerMtimeMs: clock.now() - 25 * HOUR,
    });
    writeSession(sessions, "young", {
      lines: FULL,
      marker: "{not json",
      markerMtimeMs: clock.now() - HOUR,
    });
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["old"]);
    expect(existsSync(join(old, ".recording.json"))).toBe(false);
  });

  test("marker without started_at falls back to its mtime", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    writeSession(sessions, "old", {
      lines: FULL,
      marker: { agent_id: "x" },
      markerMtimeMs: clock.now() - 30 * HOUR,
    });
    expect(await handler.detect(ledger)).toHaveLength(1);
  });

  test("54: pid lookup hook: dead -> item, live -> none, 0 with 25 h age -> time rule", async () => {
    const { ledger, sessions } = plainLedger();
    const dead = deadPid();
    const lookups: Record<string, number> = { dead, live: process.pid, unknown: 0 };
    const { handler, clock } = makeHandler(ledger, { pidLookup: (id) => lookups[id] });
    writeSession(sessions, "a-dead", {
      lines: FULL,
      marker: { agent_id: "dead", started_at: iso(clock.now() - 5 * 60_000) },
    });
    writeSession(sessions, "b-live", {
      lines: FULL,
      marker: { agent_id: "live", started_at: iso(clock.now() - 5 * 60_000) },
    });
    writeSession(sessions, "c-unknown", {
      lines: FULL,
      marker: { agent_id: "unknown", started_at: iso(clock.now() - 25 * HOUR) },
    });
    const names = (await handler.detect(ledger)).map((i) => i.payload.session_name);
    expect(names).toEqual(["a-dead", "c-unknown"]);
  });

  test("55: header-only raw.jsonl -> no item", async () => {
    const { ledger, sessions } = plainLedger();
    writeSession(sessions, "s", { lines: [HEADER] });
    writeSession(sessions, "empty", { raw: "" });
    const { handler } = makeHandler(ledger);
    expect(await handler.detect(ledger)).toEqual([]);
  });

  test("56: marker deleted concurrently during detection -> never an error, at most one item", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    for (let run = 0; run < 50; run++) {
      rmSync(join(sessions, "s"), { recursive: true, force: true });
      const dir = writeSession(sessions, "s", {
        lines: FULL,
        marker: { started_at: iso(clock.now() - 30 * HOUR) },
      });
      const racing = Promise.resolve().then(() =>
        rmSync(join(dir, ".recording.json"), { force: true }),
      );
      const [items] = await Promise.all([handler.detect(ledger), racing]);
      expect(items.length).toBeLessThanOrEqual(1);
    }
  });

  test("57: hasSubstantiveEntries", async () => {
    const dir = tempDir();
    const f = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(
      await hasSubstantiveEntries(
        f("a", `${JSON.stringify(HEADER)}\n{"type":"user","content":"hi"}\n`),
      ),
    ).toBe(true);
    expect(await hasSubstantiveEntries(f("b", `${JSON.stringify(HEADER)}\n`))).toBe(false);
    expect(await hasSubstantiveEntries(f("c", ""))).toBe(false);
    expect(await hasSubstantiveEntries(join(dir, "missing"))).toBe(false);
    expect(await hasSubstantiveEntries(f("d", `${JSON.stringify(HEADER)}\n\n\n`))).toBe(false);
    expect(
      await hasSubstantiveEntries(
        f("e", [HEADER, ...dialogue()].map((l) => JSON.stringify(l)).join("\n")),
      ),
    ).toBe(true);
  });

  test("discarded sessions are skipped", async () => {
    const { ledger, sessions } = plainLedger();
    const dir = writeSession(sessions, "s", { lines: FULL });
    writeFileSync(join(dir, ".discarded.json"), "{}");
    const { handler } = makeHandler(ledger);
    expect(await handler.detect(ledger)).toEqual([]);
  });

  test("a symlinked session dir pointing outside the ledger is refused and reported", async () => {
    const { ledger, sessions } = plainLedger();
    const outside = writeSession(tempDir(), "evil", { lines: FULL });
    symlinkSync(outside, join(sessions, "evil"));
    const inside = writeSession(join(ledger, "archive"), "kept", { lines: FULL });
    symlinkSync(inside, join(sessions, "linked"));
    const { handler } = makeHandler(ledger);
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["linked"]);
    expect(handler.lastDetect.refused).toHaveLength(1);
    expect(handler.lastDetect.refused[0]?.path).toBe(join(sessions, "evil"));
    expect(handler.lastDetect.refused[0]?.reason).toContain("outside");
  });

  test("names with '..' are refused and reported", async () => {
    const { ledger, sessions } = plainLedger();
    writeSession(sessions, "a..b", { lines: FULL });
    const { handler } = makeHandler(ledger);
    expect(await handler.detect(ledger)).toEqual([]);
    expect(handler.lastDetect.refused[0]?.reason).toContain("..");
  });

  test("scan dirs outside the ledger: found with source_dir, ledger copy wins, dedup by name", async () => {
    const { ledger, sessions } = plainLedger();
    const cache = join(tempDir(), "cache");
    writeSession(cache, "shared", { lines: FULL });
    writeSession(sessions, "shared", { lines: FULL });
    writeSession(cache, "only-cache", { lines: FULL });
    const { handler } = makeHandler(ledger, { scanDirs: [cache] });
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["shared", "only-cache"]);
    expect(items[0]?.payload.source_dir).toBeUndefined();
    expect(items[1]?.payload.source_dir).toBe(join(cache, "only-cache"));
    expect(items[1]?.payload.session_dir).toBe(join(sessions, "only-cache"));
  });

  test("a generated ledger: exactly the unfinalized sessions are found", async () => {
    const { ledger, sessions } = plainLedger();
    const { handler, clock } = makeHandler(ledger);
    const { unfinalized } = generateLedger(sessions, 400, { nowMs: clock.now() });
    const items = await handler.detect(ledger);
    expect(items).toHaveLength(unfinalized);
  });
});
