import { describe, expect, test } from "bun:test";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../../src/core/logger.ts";
import { detectInDir } from "../../../src/handlers/session-finalize/detect.ts";
import { newSessionFinalizeItem } from "../../../src/handlers/session-finalize/item.ts";
import { FakeClock } from "../../support/clock.ts";
import { dialogue, git, gitLedger, HEADER, type Line, writeSession } from "../../support/ledger.ts";
import { tempDir } from "../../support/tmp.ts";
import { asWorkItem, HOUR, makeHandler, result, summaryOutput } from "./helpers.ts";

// Assembled at run time so this file itself holds no credential-shaped strings.
const SECRETS = {
  aws: `AKIA${"IOSFODNN7EXAMPLE"}`,
  github: `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`,
  anthropic: `sk-ant-api03-${"Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"}`,
  openai: `sk-proj-${"Ab12Cd34Ef56Gh78Ij90Kl12Mn34"}`,
  slack: `xoxb-${"123456789012-1234567890123-AbCdEfGhIjKl"}`,
  key: `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----`,
  dbPassword: "S3cr3tPassw0rd",
  jwt: `eyJhbGciOiJIUzI1NiJ9.${"eyJzdWIiOiIxMjM0NTY3ODkwIn0"}.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}`,
};
const SECRET_VALUES = Object.values(SECRETS).map((s) =>
  s.includes("PRIVATE") ? "b3BlbnNzaC1rZXktdjE" : s,
);

function leakyLines(): Line[] {
  return [
    HEADER,
    ...dialogue(),
    {
      type: "tool",
      tool_name: "Bash",
      tool_input: JSON.stringify({ command: "env; cat ~/.ssh/id_ed25519" }),
      tool_output: `AWS_ACCESS_KEY_ID=${SECRETS.aws}\nGH=${SECRETS.github}\nANTHROPIC=${SECRETS.anthropic}\nOPENAI=${SECRETS.openai}\nSLACK=${SECRETS.slack}\n${SECRETS.key}\nDATABASE_URL=postgres://app:${SECRETS.dbPassword}@db:5432/app`,
      timestamp: "2026-03-14T08:16:00Z",
    },
    { type: "user", content: `here is my token ${SECRETS.jwt}`, timestamp: "2026-03-14T08:17:00Z" },
  ];
}

function expectClean(text: string, where: string): void {
  for (const s of SECRET_VALUES) {
    if (text.includes(s)) throw new Error(`${where} still holds ${s.slice(0, 8)}...`);
  }
}

const EXPECTED_COUNTS = {
  aws_access_key: 1,
  github_token: 1,
  anthropic_api_key: 1,
  openai_api_key: 1,
  slack_token: 1,
  private_key: 1,
  url_credentials: 1,
  jwt: 1,
};

describe("redaction before the ledger and the model", () => {
  test("raw.jsonl in the working tree, the prompt, every artifact and the pushed commit hold no secret; counts per kind", async () => {
    const { ledger, sessions, remote } = gitLedger();
    const dir = writeSession(sessions, "leaky", { lines: leakyLines() });
    const { handler } = makeHandler(ledger);
    const item = asWorkItem(newSessionFinalizeItem(ledger, "leaky"));
    await handler.prepare(item);
    const raw = readFileSync(join(dir, "raw.jsonl"), "utf8");
    expectClean(raw, "raw.jsonl");
    // Every line still parses, and the marks name the kind.
    for (const line of raw.trim().split("\n")) JSON.parse(line);
    expect(raw).toContain("[REDACTED:aws_access_key]");
    expect(raw).toContain("postgres://app:[REDACTED:url_credentials]@db:5432/app");
    const request = await handler.buildPrompt(item);
    expectClean(request?.prompt ?? "", "the prompt");
    expect(request?.prompt).toContain("[REDACTED:jwt]");
    // The model echoes a secret back: the summary is redacted too and counted.
    await handler.processResult(
      item,
      result(summaryOutput(0.8, { summary: `Rotated ${SECRETS.github} after the leak.` })),
    );
    for (const f of readdirSync(dir)) {
      if (!f.startsWith(".")) expectClean(readFileSync(join(dir, f), "utf8"), f);
    }
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.summary).toBe("Rotated [REDACTED:github_token] after the leak.");
    expect(summary.redactions).toEqual({ ...EXPECTED_COUNTS, github_token: 2 });
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    expect(meta.redactions).toEqual(summary.redactions);
    expect(await handler.publish()).toEqual({ commit: [], push: 0, error: null });
    const pushed = git(remote, "log", "-p", "--format=%s", "main");
    expect(pushed).toContain("finalize session leaky");
    expectClean(pushed, "the pushed history");
  });

  test("idempotent: a second pass leaves the redacted raw.jsonl byte for byte", async () => {
    const { ledger, sessions } = gitLedger();
    const dir = writeSession(sessions, "twice", { lines: leakyLines() });
    const item = asWorkItem(newSessionFinalizeItem(ledger, "twice"));
    await makeHandler(ledger).handler.prepare(item);
    const once = readFileSync(join(dir, "raw.jsonl"), "utf8");
    await makeHandler(ledger).handler.prepare(item);
    expect(readFileSync(join(dir, "raw.jsonl"), "utf8")).toBe(once);
  });

  test("config redact_patterns add kinds", async () => {
    const { ledger, sessions } = gitLedger();
    const lines = [HEADER, ...dialogue(), { type: "user", content: "customer ACME-123456 again" }];
    const dir = writeSession(sessions, "custom", { lines });
    const { handler } = makeHandler(ledger, {
      redactPatterns: [{ name: "acme_id", pattern: "ACME-[0-9]{6}" }],
    });
    await handler.prepare(asWorkItem(newSessionFinalizeItem(ledger, "custom")));
    expect(readFileSync(join(dir, "raw.jsonl"), "utf8")).toContain(
      "customer [REDACTED:acme_id] again",
    );
  });

  test("a session imported from a scan dir is redacted on the way in; the source and its dotfiles stay out", async () => {
    const { ledger } = gitLedger();
    const outside = join(tempDir("agentwork-scan-"), "sessions");
    const src = writeSession(outside, "imported", { lines: leakyLines() });
    writeFileSync(join(src, ".held-by-someone"), "x");
    writeFileSync(join(src, "notes.md.swp"), "x");
    writeFileSync(join(src, "plan.md"), "the plan");
    const { handler } = makeHandler(ledger, { scanDirs: [outside] });
    const [found] = await handler.detect(ledger);
    if (!found) throw new Error("not detected");
    await handler.prepare(asWorkItem(found));
    const copy = join(ledger, "sessions", "imported");
    expectClean(readFileSync(join(copy, "raw.jsonl"), "utf8"), "the ledger copy");
    expect(readFileSync(join(src, "raw.jsonl"), "utf8")).toContain(SECRETS.aws);
    const names = readdirSync(copy);
    expect(names).toContain("plan.md");
    expect(names).not.toContain(".held-by-someone");
    expect(names).not.toContain("notes.md.swp");
  });

  test("a raw.jsonl recovered from the agent's own transcript is written redacted", async () => {
    const root = tempDir("agentwork-recover-");
    const projects = join(root, "projects");
    mkdirSync(projects, { recursive: true });
    const transcript = join(projects, "t.jsonl");
    const clock = new FakeClock();
    const at = new Date(clock.now() - 29 * HOUR).toISOString();
    writeFileSync(
      transcript,
      `${[
        {
          type: "user",
          message: { role: "user", content: `deploy with ${SECRETS.aws}` },
          timestamp: at,
        },
        {
          type: "assistant",
          message: { role: "assistant", content: [{ type: "text", text: `ok ${SECRETS.slack}` }] },
          timestamp: at,
        },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n")}\n`,
    );
    const sessions = join(root, "ledger", "sessions");
    const dir = writeSession(sessions, "rec", {
      marker: {
        agent_id: "a",
        adapter_name: "claude-code",
        session_file: transcript,
        started_at: new Date(clock.now() - 30 * HOUR).toISOString(),
      },
    });
    const found = await detectInDir(
      { dir: sessions, root: join(root, "ledger") },
      {
        ledgerPath: join(root, "ledger"),
        clock,
        logger: silentLogger(),
        staleAfterMs: 24 * HOUR,
        ghostGraceMs: 0,
        transcriptRoots: [projects],
      },
    );
    expect(found.items.length).toBe(1);
    const raw = readFileSync(join(dir, "raw.jsonl"), "utf8");
    expectClean(raw, "recovered raw.jsonl");
    expect(raw).toContain("[REDACTED:aws_access_key]");
  });

  test("a raw.jsonl that is a symlink is refused, never replaced by a redacted copy of its target", async () => {
    const { ledger, sessions } = gitLedger();
    const outside = join(tempDir("agentwork-outside-"), "secret.jsonl");
    writeFileSync(outside, `${JSON.stringify({ type: "user", content: SECRETS.aws })}\n`);
    const dir = join(sessions, "linked");
    mkdirSync(dir);
    symlinkSync(outside, join(dir, "raw.jsonl"));
    const { handler } = makeHandler(ledger);
    await expect(
      handler.prepare(asWorkItem(newSessionFinalizeItem(ledger, "linked"))),
    ).rejects.toMatchObject({ code: "E_UNSAFE_PATH" });
    expect(lstatSync(join(dir, "raw.jsonl")).isSymbolicLink()).toBe(true);
    expect(readFileSync(outside, "utf8")).toContain(SECRETS.aws);
  });
});
