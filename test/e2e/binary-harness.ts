import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { COMPILE_FLAGS, ENTRYPOINTS } from "../../scripts/compile-flags.ts";
import { type MessagesStub, startMessagesStub } from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";
import { claudeUserSetup } from "../support/user-home.ts";

export const REPO = join(import.meta.dir, "../..");
export const CLAUDE = join(REPO, ".cache/claude-code/node_modules/.bin/claude");

/** Compiles the real executable once per test file, into a temp dir, as `npm run build` does. */
export function buildBinary(): string {
  const out = join(tempDir("agentwork-bin-"), "agentwork");
  const build = Bun.spawnSync(
    [process.execPath, "build", ...COMPILE_FLAGS, ...ENTRYPOINTS, "--outfile", out],
    { cwd: REPO, stdout: "pipe", stderr: "pipe" },
  );
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
  return out;
}

/**
 * What an end-to-end file starts from: the pinned Claude CLI (installed by scripts/test.sh), the
 * executable built, and a loopback Messages API that replies `summary` until told otherwise.
 */
export function binaryAndStub(summary: string): { bin: string; stub: MessagesStub } {
  if (!existsSync(CLAUDE)) throw new Error(`${CLAUDE} is missing: run scripts/install-claude.sh`);
  return {
    bin: buildBinary(),
    stub: startMessagesStub({ behaviour: { kind: "reply", text: summary } }),
  };
}

/**
 * A user's environment: temp HOME and XDG dirs, the pinned Claude CLI, the loopback API, and
 * Claude Code set up as people have it (hooks, CLAUDE.md, MCP servers: test/support/user-home.ts).
 */
export function userEnv(apiUrl: string): Record<string, string> {
  const home = tempDir("agentwork-home-");
  for (const d of [".config", ".local/state"]) mkdirSync(join(home, d), { recursive: true });
  claudeUserSetup(home);
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local/state"),
    ANTHROPIC_API_KEY: "test-key",
    ANTHROPIC_BASE_URL: apiUrl,
    AGENTWORK_AGENT_BIN: CLAUDE,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    GIT_AUTHOR_NAME: "agentwork",
    GIT_AUTHOR_EMAIL: "agentwork@example.org",
    GIT_COMMITTER_NAME: "agentwork",
    GIT_COMMITTER_EMAIL: "agentwork@example.org",
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  bin: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const proc = Bun.spawn([bin, ...args], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

export async function cliJson<T>(
  bin: string,
  args: string[],
  env: Record<string, string>,
): Promise<T> {
  const r = await cli(bin, [...args, "--json"], env);
  if (r.code !== 0) throw new Error(`${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Reads a child's stream until a line matches; the daemon announces itself this way. */
export async function waitForLine(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
): Promise<{ match: RegExpMatchArray }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
    text += decoder.decode(value, { stream: true });
    const match = text.match(pattern);
    if (match) {
      reader.releaseLock();
      return { match };
    }
  }
}
