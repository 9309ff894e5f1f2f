import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dialogue, gitLedger, HEADER, writeSession } from "../support/ledger.ts";
import type { MessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { binaryAndStub, cli, userEnv } from "./binary-harness.ts";

/** A ledger an attacker could write into, run through the compiled binary and the real CLI. */
const SUMMARY = JSON.stringify({
  title: "Healthy session",
  summary: "Fine.",
  key_actions: ["Worked"],
  outcome: "success",
  topics_found: ["testing"],
  quality_score: 0.8,
  score_reason: "ok",
});

let bin = "";
let stub: MessagesStub;

beforeAll(() => {
  ({ bin, stub } = binaryAndStub(SUMMARY));
});
afterAll(() => stub.stop());

describe("a hostile ledger, through the executable", () => {
  test("FIFO, /dev/zero, a symlink out and an alias are refused; the healthy session is finalized", async () => {
    const { ledger, sessions } = gitLedger();
    writeSession(sessions, "a-healthy", { lines: [HEADER, ...dialogue()] });
    const fifo = writeSession(sessions, "b-fifo");
    expect(Bun.spawnSync(["mkfifo", join(fifo, "raw.jsonl")]).exitCode).toBe(0);
    const zero = writeSession(sessions, "c-zero");
    symlinkSync("/dev/zero", join(zero, "raw.jsonl"));
    const secret = join(tempDir(), "secret.jsonl");
    writeFileSync(
      secret,
      `${JSON.stringify(HEADER)}\n${JSON.stringify({ type: "user", content: "SECRET-42" })}\n`,
    );
    const out = writeSession(sessions, "d-out");
    symlinkSync(secret, join(out, "raw.jsonl"));
    symlinkSync(join(sessions, "a-healthy"), join(sessions, "e-alias"));
    const env = userEnv(stub.url);
    const db = join(tempDir(), "agentwork.db");
    const before = stub.messageRequests().length;
    const once = await cli(bin, ["daemon", "--once", "--ledger", ledger, "--db", db], env);
    expect(once.stderr).toContain("1 finalized");
    expect(once.stderr).toMatch(/refused 4 session dir\(s\)/);
    expect(once.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /m);
    expect(existsSync(join(sessions, "a-healthy", "summary.json"))).toBe(true);
    const meta = JSON.parse(readFileSync(join(sessions, "a-healthy", "meta.json"), "utf8"));
    expect(JSON.stringify(meta)).not.toContain("e-alias");
    const sent = stub
      .messageRequests()
      .slice(before)
      .map((r) => r.rawBody)
      .join("\n");
    expect(sent).not.toContain("SECRET-42");
    expect(stub.messageRequests().length - before).toBe(1);
  }, 120_000);

  test("a YAML alias bomb exits 2 naming the file", async () => {
    const config = join(tempDir(), "config.yaml");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [prev, name] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    writeFileSync(config, `${levels.join("\n")}\n`);
    const r = await cli(bin, ["status", "--config", config], userEnv(stub.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid YAML in ${config}`);
  }, 60_000);
});
