import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import { dialogue, git, gitLedger, HEADER, writeSession } from "../../support/ledger.ts";
import { asWorkItem, makeHandler, result, summaryOutput } from "./helpers.ts";

const ESC = "\x1b";
const TITLE = `${ESC}]0;pwned${ESC}\\`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const LINK = `${ESC}]8;;https://evil.example/${ESC}\\click me${ESC}]8;;${ESC}\\`;
// Any C0 control except \n and \t, DEL or C1: what a terminal would act on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about them.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe("terminal control sequences from a transcript never reach the artifacts", () => {
  test("session.md, summary.md and the commit message are clean; the text is still there", async () => {
    const { ledger, sessions } = gitLedger();
    const name = `evil${ESC}]0;pwned\x07${ESC}[31mname`;
    const lines = [
      HEADER,
      { type: "user", content: `${CLEAR}please look at ${LINK}`, seq: 0 },
      { type: "tool_result", tool_output: `${ESC}[32mPASS${ESC}[0m all tests\x07`, seq: 1 },
      ...dialogue(),
    ];
    const dir = writeSession(sessions, name, { lines });
    const { handler } = makeHandler(ledger, { gitPush: false });
    const summary = summaryOutput(0.8, {
      title: `Fixed ${TITLE}it`,
      summary: `The run ${CLEAR}cleared the screen.\nSecond line.`,
      key_actions: [`Clicked ${LINK}`],
    });
    await handler.processResult(asWorkItem(newSessionFinalizeItem(ledger, name)), result(summary));
    await handler.publish();
    const md = readFileSync(join(dir, "session.md"), "utf8");
    const summaryMd = readFileSync(join(dir, "summary.md"), "utf8");
    for (const text of [md, summaryMd]) expect(text).not.toMatch(CONTROL);
    expect(md).toContain("please look at click me");
    expect(md).toContain("PASS all tests\\x07");
    expect(summaryMd).toContain("Fixed it");
    expect(summaryMd).toContain("cleared the screen.\nSecond line.");
    const subject = git(ledger, "log", "-1", "--format=%s");
    expect(subject.trim()).toBe("finalize session evilname");
    expect(subject).not.toMatch(CONTROL);
    // session.html escapes HTML as before: no markup from the transcript.
    expect(readFileSync(join(dir, "session.html"), "utf8")).not.toContain("<script");
  });
});
