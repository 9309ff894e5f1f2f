import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../../src/core/errors.ts";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import type { ReplyStash } from "../../../src/handlers/session-finalize/reply.ts";
import type { Summary } from "../../../src/handlers/session-finalize/summary.ts";
import { dialogue, HEADER, plainLedger, writeSession } from "../../support/ledger.ts";
import { asWorkItem, makeHandler, result, summaryOutput } from "./helpers.ts";

const FULL = [HEADER, ...dialogue()];
const NAME = "2026-03-14T08-15-dana-OxQ7mZ";

function memoryStash(): ReplyStash & { kept: Map<string, Summary> } {
  const kept = new Map<string, Summary>();
  return {
    kept,
    get: (name) => kept.get(name) ?? null,
    set: (name, summary) => kept.set(name, summary),
    delete: (name) => kept.delete(name),
  };
}

function session(summaryJson?: string) {
  const { ledger, sessions } = plainLedger();
  const dir = writeSession(sessions, NAME, { lines: FULL });
  if (summaryJson !== undefined) writeFileSync(join(dir, "summary.json"), summaryJson);
  return { ledger, dir };
}

describe("a summary is paid for once", () => {
  test("a session with a summary.json is not sent to the agent; its other artifacts are rebuilt", async () => {
    const good = `${summaryOutput(0.9, { title: "The good one" })}\n`;
    const { ledger, dir } = session(good);
    const { handler } = makeHandler(ledger);
    const item = asWorkItem(newSessionFinalizeItem(ledger, NAME));
    expect(await handler.buildPrompt(item)).toBeNull();
    // Byte for byte the summary that was there; the missing artifacts now exist.
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(good);
    for (const f of ["summary.md", "session.html", "session.md", "meta.json"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("The good one");
    expect(handler.lastOutcome?.parsedFrom).toBe("summary.json");
  });

  test("a summary.json that is not a summary (no title) does not count: the agent is asked", async () => {
    const { ledger } = session('{"summary":"stub"}');
    const { handler } = makeHandler(ledger);
    const request = await handler.buildPrompt(asWorkItem(newSessionFinalizeItem(ledger, NAME)));
    expect(request?.prompt).toContain("<transcript>");
  });

  test("--force asks the agent again; a reply that does not parse leaves the old summary", async () => {
    const good = summaryOutput(0.9, { title: "The good one" });
    const { ledger, dir } = session(good);
    const { handler } = makeHandler(ledger);
    const item = asWorkItem(newSessionFinalizeItem(ledger, NAME, { force: true }));
    expect(item.payload.force).toBe(true);
    expect(await handler.buildPrompt(item)).not.toBeNull();
    const error = await handler.processResult(item, result("I cannot do that.")).catch((e) => e);
    expect((error as AgentworkError).code).toBe("E_AGENT_BAD_REPLY");
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(good);
    await handler.processResult(item, result(summaryOutput(0.8, { title: "The new one" })));
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).title).toBe("The new one");
  });

  test("artifacts that cannot be written keep the parsed reply; the retry writes it without the agent", async () => {
    const { ledger, dir } = session();
    const stash = memoryStash();
    const { handler } = makeHandler(ledger, { replyStash: stash });
    const item = asWorkItem(newSessionFinalizeItem(ledger, NAME));
    // A directory where summary.md goes: the atomic rename fails (root ignores file modes).
    mkdirSync(join(dir, "summary.md"));
    const error = await handler
      .processResult(item, result(summaryOutput(0.8, { title: "Paid for once" })))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentworkError);
    expect(stash.kept.get(NAME)?.title).toBe("Paid for once");
    rmSync(join(dir, "summary.md"), { recursive: true });
    expect(await handler.buildPrompt(item)).toBeNull();
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("Paid for once");
    expect(stash.kept.size).toBe(0);
    expect(handler.lastOutcome?.parsedFrom).toBe("stash");
  });

  test("a stash that cannot be written (database full) does not stop the artifacts", async () => {
    const { ledger, dir } = session();
    const stash = memoryStash();
    stash.set = () => {
      throw new Error("database or disk is full");
    };
    const { handler } = makeHandler(ledger, { replyStash: stash });
    await handler.processResult(
      asWorkItem(newSessionFinalizeItem(ledger, NAME)),
      result(summaryOutput(0.8)),
    );
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
  });
});
