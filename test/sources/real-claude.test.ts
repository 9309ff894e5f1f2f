import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/core/process.ts";
import { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import { type MessagesStub, startMessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { claudeUserSetup } from "../support/user-home.ts";
import { filesUnder, HOUR, importRig, rawLines, setMtime } from "./helpers.ts";

/**
 * Transcripts written by the real Claude Code CLI (pinned, offline against the Messages API
 * stand-in) with persistence on, in a HOME set up as users have it, imported as they are; then
 * the same conversation resumed (the file grows) and one of agentwork's own summary runs in the
 * same HOME, which must leave nothing to import.
 */
const CLAUDE = join(import.meta.dir, "../../.cache/claude-code/node_modules/.bin/claude");
const stubs: MessagesStub[] = [];
afterAll(async () => {
  await Promise.all(stubs.map((s) => s.stop()));
});

function agentEnv(home: string, stub: MessagesStub): Record<string, string> {
  return {
    HOME: home,
    PATH: "/usr/bin:/bin",
    ANTHROPIC_API_KEY: "test-key",
    ANTHROPIC_BASE_URL: stub.url,
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}

async function claude(
  cwd: string,
  env: Record<string, string>,
  prompt: string,
  extra: string[] = [],
) {
  const result = await runCommand(
    [CLAUDE, "-p", "--output-format", "stream-json", "--verbose", "--tools", "", ...extra],
    { cwd, env, stdin: prompt, timeoutMs: 60_000 },
  );
  expect(result.exitCode).toBe(0);
  const init = result.stdout.split("\n").find((l) => l.includes('"subtype":"init"')) ?? "{}";
  return String((JSON.parse(init) as { session_id?: string }).session_id);
}

describe("the real Claude Code CLI's own transcripts", () => {
  test("recorded, imported, resumed and imported again; a summary run leaves nothing", async () => {
    const stub = startMessagesStub({
      behaviour: { kind: "reply", text: "Use the injected clock." },
    });
    stubs.push(stub);
    const rig = importRig({ home: join(tempDir("agentwork-real-home-"), "home") });
    claudeUserSetup(rig.home);
    const project = join(tempDir("agentwork-real-proj-"), "svc");
    await Bun.write(join(project, "README.md"), "svc\n");
    const env = agentEnv(rig.home, stub);
    const id = await claude(
      project,
      env,
      "Why does the eviction test flake? token ghp_0123456789abcdefghijABCDEFGHIJ012345",
    );
    const age = () => {
      for (const f of filesUnder(join(rig.home, ".claude/projects")))
        setMtime(f, rig.storage.clock.now() - HOUR);
    };
    age();
    const first = await rig.importer.run({ ...rig.config, sources: ["claude"] });
    expect(first.problems).toEqual([]);
    expect(first.imported).toHaveLength(1);
    const name = first.imported[0] ?? "";
    expect(name).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-dana-claude-${id.slice(0, 8)}$`),
    );
    const lines = rawLines(rig.sessions, name);
    expect(lines[0]).toMatchObject({
      type: "header",
      metadata: { agent_type: "claude-code", source: { kind: "claude", session_id: id, project } },
    });
    expect(lines.slice(1, -1).map((l) => l.type)).toEqual(["user", "assistant"]);
    const raw = readFileSync(join(rig.sessions, name, "raw.jsonl"), "utf8");
    expect(raw).not.toContain("ghp_0123456789");
    expect(raw).toContain("Use the injected clock.");

    // The user resumes the conversation: the same file grows and is imported again.
    await claude(project, env, "And the retry test?", ["--resume", id]);
    age();
    const second = await rig.importer.run({ ...rig.config, sources: ["claude"] });
    expect(second.reimported).toEqual([name]);
    expect(
      rawLines(rig.sessions, name)
        .slice(1, -1)
        .map((l) => l.type),
    ).toEqual(["user", "assistant", "user", "assistant"]);

    // One of agentwork's summary runs in the same HOME: persistence off, nothing new appears.
    const runner = new ClaudeRunner({
      agentBin: CLAUDE,
      env: { PATH: "/usr/bin:/bin" },
      home: rig.home,
      extraEnv: {
        ANTHROPIC_API_KEY: "test-key",
        ANTHROPIC_BASE_URL: stub.url,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      workRoot: join(rig.stateDir, "runs"),
    });
    await runner.run({
      prompt: "Summarize this session.",
      systemPrompt: "Reply with JSON.",
      timeoutMs: 60_000,
    });
    age();
    const third = await rig.importer.run({ ...rig.config, sources: ["claude"] });
    expect(third.imported).toEqual([]);
    expect(third.reimported).toEqual([]);
    expect(readdirSync(rig.sessions)).toEqual([name]);
  }, 180_000);
});
