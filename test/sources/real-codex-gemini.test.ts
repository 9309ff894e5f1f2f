import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/core/process.ts";
import { codexUserSetup, geminiUserSetup } from "../support/agent-user-homes.ts";
import { startGeminiStub } from "../support/gemini-api-stub.ts";
import type { RecordingServer } from "../support/recording-server.ts";
import { startResponsesStub } from "../support/responses-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { filesUnder, HOUR, importRig, rawLines, setMtime } from "./helpers.ts";

/**
 * Transcripts written by the real Codex and Gemini CLIs (pinned in .cache, offline against the
 * Responses and Gemini API stand-ins), in HOMEs set up as users have them, then imported.
 */
const CODEX = join(import.meta.dir, "../../.cache/codex/node_modules/.bin/codex");
const GEMINI = join(import.meta.dir, "../../.cache/gemini-cli/node_modules/.bin/gemini");
const stubs: RecordingServer[] = [];
afterAll(async () => {
  await Promise.all(stubs.map((s) => s.stop()));
});

function recorded(home: string, kind: "codex" | "gemini") {
  const rig = importRig({ home });
  const root = join(home, kind === "codex" ? ".codex/sessions" : ".gemini/tmp");
  for (const f of filesUnder(root)) setMtime(f, rig.storage.clock.now() - HOUR);
  return rig;
}

describe("the real Codex and Gemini CLIs' own transcripts", () => {
  test("codex exec: the rollout is imported without the injected instructions", async () => {
    const stub = startResponsesStub({ kind: "reply", text: "Use the injected clock." });
    stubs.push(stub);
    const home = join(tempDir("agentwork-codex-home-"), "home");
    mkdirSync(home, { recursive: true });
    codexUserSetup(home, stub.url);
    const project = join(home, "src", "svc");
    mkdirSync(project, { recursive: true });
    const run = await runCommand(
      [CODEX, "exec", "--skip-git-repo-check", "Why does the eviction test flake?"],
      {
        cwd: project,
        env: {
          HOME: home,
          PATH: "/usr/bin:/bin",
          CODEX_HOME: join(home, ".codex"),
          STUB_API_KEY: "x",
        },
        timeoutMs: 90_000,
      },
    );
    expect(run.exitCode).toBe(0);
    const rig = recorded(home, "codex");
    const report = await rig.importer.run({ ...rig.config, sources: ["codex"] });
    expect(report.problems).toEqual([]);
    expect(report.imported).toHaveLength(1);
    const lines = rawLines(rig.sessions, report.imported[0] ?? "");
    expect(lines[0]).toMatchObject({
      metadata: { agent_type: "codex", source: { kind: "codex", project } },
    });
    expect(lines.slice(1, -1).map((l) => [l.type, l.content])).toEqual([
      ["user", "Why does the eviction test flake?"],
      ["assistant", "Use the injected clock."],
    ]);
  }, 120_000);

  test("gemini -p: the chat is imported without the CLI's context preamble", async () => {
    const stub = startGeminiStub({ kind: "reply", parts: ["Use the injected clock."] });
    stubs.push(stub);
    const home = join(tempDir("agentwork-gemini-home-"), "home");
    mkdirSync(home, { recursive: true });
    geminiUserSetup(home);
    const project = join(home, "src", "docs");
    mkdirSync(project, { recursive: true });
    await runCommand([GEMINI, "-p", "Add a section on rate limits"], {
      cwd: project,
      env: {
        HOME: home,
        PATH: "/usr/bin:/bin",
        GEMINI_API_KEY: "test-key",
        GOOGLE_GEMINI_BASE_URL: stub.url,
        GEMINI_CLI_TRUST_WORKSPACE: "true",
      },
      timeoutMs: 90_000,
    });
    const rig = recorded(home, "gemini");
    const report = await rig.importer.run({ ...rig.config, sources: ["gemini"] });
    expect(report.problems).toEqual([]);
    expect(report.imported).toHaveLength(1);
    const lines = rawLines(rig.sessions, report.imported[0] ?? "");
    expect(lines[0]).toMatchObject({ metadata: { agent_type: "gemini-cli" } });
    expect(lines.slice(1, -1).map((l) => [l.type, l.content])).toEqual([
      ["user", "Add a section on rate limits"],
      ["assistant", "Use the injected clock."],
    ]);
  }, 120_000);
});
