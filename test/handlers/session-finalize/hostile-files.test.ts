import { describe, expect, test } from "bun:test";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../../src/core/errors.ts";
import { createLogger, silentLogger } from "../../../src/core/logger.ts";
import { readRegularFileSync } from "../../../src/core/regular-file.ts";
import { exportSession } from "../../../src/handlers/session-finalize/export.ts";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import { FakeClock } from "../../support/clock.ts";
import { dialogue, HEADER, jsonl, plainLedger, writeSession } from "../../support/ledger.ts";
import { tempDir } from "../../support/tmp.ts";
import { asWorkItem, makeHandler, result, summaryOutput } from "./helpers.ts";

const FULL = [HEADER, ...dialogue()];

function mkfifo(path: string): void {
  const made = Bun.spawnSync(["mkfifo", path]);
  if (made.exitCode !== 0) throw new Error(`mkfifo ${path} failed`);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentworkError);
  return (error as AgentworkError).code;
}

describe("hostile files in a ledger: nothing hangs, nothing leaks", () => {
  test("a FIFO raw.jsonl is refused and the healthy sessions are still queued", async () => {
    const { ledger, sessions } = plainLedger();
    writeSession(sessions, "a-healthy", { lines: FULL });
    const fifoDir = writeSession(sessions, "b-fifo");
    mkfifo(join(fifoDir, "raw.jsonl"));
    writeSession(sessions, "c-healthy", { lines: FULL });
    const { handler } = makeHandler(ledger);
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["a-healthy", "c-healthy"]);
    expect(handler.lastDetect.refused).toHaveLength(1);
    expect(handler.lastDetect.refused[0]?.path).toBe(fifoDir);
    expect(handler.lastDetect.refused[0]?.reason).toContain("a FIFO");
  });

  test("a FIFO recording marker does not block detection", async () => {
    const { ledger, sessions } = plainLedger();
    const dir = writeSession(sessions, "a-marker-fifo", { lines: FULL });
    mkfifo(join(dir, ".recording.json"));
    writeSession(sessions, "b-healthy", { lines: FULL });
    const { handler } = makeHandler(ledger);
    const names = (await handler.detect(ledger)).map((i) => i.payload.session_name);
    expect(names).toContain("b-healthy");
  });

  test("raw.jsonl linked to /dev/zero: the prompt builder refuses it instead of reading forever", async () => {
    const { ledger, sessions } = plainLedger();
    const dir = writeSession(sessions, "zero");
    symlinkSync("/dev/zero", join(dir, "raw.jsonl"));
    const { handler } = makeHandler(ledger);
    const item = asWorkItem(newSessionFinalizeItem(ledger, "zero"));
    expect(await codeOf(handler.buildPrompt(item))).toBe("E_UNSAFE_PATH");
    expect(await handler.detect(ledger)).toEqual([]);
    expect(handler.lastDetect.refused[0]?.reason).toContain("outside");
  });

  test("raw.jsonl linked to a file outside the session never reaches the prompt", async () => {
    const { ledger, sessions } = plainLedger();
    const secret = join(tempDir(), "secret.jsonl");
    writeFileSync(secret, jsonl(FULL));
    const dir = writeSession(sessions, "leaky");
    symlinkSync(secret, join(dir, "raw.jsonl"));
    const { handler } = makeHandler(ledger);
    const item = asWorkItem(newSessionFinalizeItem(ledger, "leaky"));
    expect(await codeOf(handler.buildPrompt(item))).toBe("E_UNSAFE_PATH");
    const clock = new FakeClock();
    expect(await codeOf(exportSession(dir, { clock, logger: silentLogger() }))).toBe(
      "E_UNSAFE_PATH",
    );
    expect(existsSync(join(dir, "session.md"))).toBe(false);
  });

  test("raw.jsonl linked to a file inside its own session dir is still read", async () => {
    const { ledger, sessions } = plainLedger();
    const dir = writeSession(sessions, "linked-inside");
    writeFileSync(join(dir, "recording.jsonl"), jsonl(FULL));
    symlinkSync(join(dir, "recording.jsonl"), join(dir, "raw.jsonl"));
    const { handler } = makeHandler(ledger);
    const request = await handler.buildPrompt(
      asWorkItem(newSessionFinalizeItem(ledger, "linked-inside")),
    );
    expect(request?.prompt.length).toBeGreaterThan(50);
  });

  test("a session dir that aliases another session is refused, the real one is queued once", async () => {
    const { ledger, sessions } = plainLedger();
    const real = writeSession(sessions, "real", { lines: FULL });
    symlinkSync(real, join(sessions, "alias"));
    const { handler } = makeHandler(ledger);
    const items = await handler.detect(ledger);
    expect(items.map((i) => i.payload.session_name)).toEqual(["real"]);
    expect(handler.lastDetect.refused[0]?.path).toBe(join(sessions, "alias"));
    expect(handler.lastDetect.refused[0]?.reason).toContain("alias of session real");
    // Enqueued by hand, the alias is refused too: the real session's meta.json is never rewritten.
    const byHand = asWorkItem(newSessionFinalizeItem(ledger, "alias"));
    expect(await codeOf(handler.processResult(byHand, result(summaryOutput(0.8))))).toBe(
      "E_UNSAFE_PATH",
    );
    expect(existsSync(join(real, "meta.json"))).toBe(false);
  });

  test("small reads refuse devices, FIFOs, symlinks out and oversized files", () => {
    const dir = tempDir();
    mkfifo(join(dir, "fifo"));
    symlinkSync("/etc/hostname", join(dir, "out"));
    writeFileSync(join(dir, "big"), "x".repeat(2048));
    writeFileSync(join(dir, "ok"), "fine");
    const refused = (path: string, maxBytes?: number) => {
      try {
        readRegularFileSync(path, maxBytes === undefined ? {} : { maxBytes });
        return "read";
      } catch (error) {
        return (error as AgentworkError).code;
      }
    };
    expect(refused(join(dir, "fifo"))).toBe("E_UNSAFE_PATH");
    expect(refused(join(dir, "out"))).toBe("E_UNSAFE_PATH");
    expect(refused("/dev/zero")).toBe("E_UNSAFE_PATH");
    expect(refused(join(dir, "big"), 1024)).toBe("E_UNSAFE_PATH");
    expect(readRegularFileSync(join(dir, "ok"))).toBe("fine");
  });
});

test("a detection pass logs one summary line, not one line per session", async () => {
  const { ledger, sessions } = plainLedger();
  for (let i = 0; i < 20; i++)
    writeSession(sessions, `s${String(i).padStart(2, "0")}`, { lines: FULL });
  const lines: string[] = [];
  const logger = createLogger({ stream: { isTTY: true, write: (t: string) => lines.push(t) } });
  const { handler } = makeHandler(ledger, { logger });
  expect(await handler.detect(ledger)).toHaveLength(20);
  const needs = lines.filter((l) => l.includes("need finalizing"));
  expect(needs).toEqual([
    "info session-finalize: 20 session(s) need finalizing: s00, s01, s02, s03, s04 and 15 more\n",
  ]);
  expect(lines.length).toBeLessThanOrEqual(3);
});
