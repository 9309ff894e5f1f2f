// Request overhead of one summary run (issue 9): the bytes of the POST /v1/messages body beyond
// our prompt and our system prompt, with the real Claude Code CLI against the loopback stand-in.
// Measured for the locked-down argv and, as the baseline in the same run, the argv of the first
// release (`-p --output-format stream-json --verbose --no-session-persistence --tools ""`), each
// with an empty HOME and with a HOME set up as people have it (CLAUDE.md, hooks, MCP servers).
// Target: at most 1.5 KB of overhead, with and without the user's setup.
// Usage: bun bench/lockdown.bench.ts [--runs 5] [--write]

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { SUMMARY_SYSTEM_PROMPT } from "../src/handlers/session-finalize/prompt.ts";
import { ClaudeRunner } from "../src/runners/claude-runner.ts";
import { startMessagesStub, userText } from "../test/support/messages-api-stub.ts";
import { claudeUserSetup } from "../test/support/user-home.ts";

const root = join(import.meta.dir, "..");
const CLAUDE = join(root, ".cache/claude-code/node_modules/.bin/claude");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
const work = mkdtempSync(join(tmpdir(), "agentwork-lockdown-bench-"));
const PROMPT = `Session s1; agent claude; 3 entries.\n\n<transcript>\n${"[#1 user] fix the cache test\n".repeat(20)}</transcript>\n\nReply with the JSON summary object only.\n`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The first release's argv, run directly: the baseline. */
async function legacyRun(home: string, url: string): Promise<void> {
  const proc = Bun.spawn(
    [
      CLAUDE,
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--no-session-persistence",
      "--tools",
      "",
    ],
    {
      cwd: home,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: home,
        ANTHROPIC_API_KEY: "k",
        ANTHROPIC_BASE_URL: url,
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      stdin: new Blob([`${SUMMARY_SYSTEM_PROMPT}\n\n${PROMPT}`]),
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  await proc.exited;
}

async function lockedRun(home: string, url: string): Promise<void> {
  const runner = new ClaudeRunner({
    agentBin: CLAUDE,
    env: { PATH: "/usr/bin:/bin" },
    home,
    workRoot: join(work, "runs"),
    extraEnv: {
      ANTHROPIC_API_KEY: "k",
      ANTHROPIC_BASE_URL: url,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
  });
  await runner.run({ prompt: PROMPT, systemPrompt: SUMMARY_SYSTEM_PROMPT });
}

type Variant = { name: string; setup: boolean; run: typeof lockedRun; ours: number };
const ours = Buffer.byteLength(PROMPT) + Buffer.byteLength(SUMMARY_SYSTEM_PROMPT);
const variants: Variant[] = [
  { name: "first release, empty HOME", setup: false, run: legacyRun, ours },
  { name: "first release, user's setup", setup: true, run: legacyRun, ours },
  { name: "locked down, empty HOME", setup: false, run: lockedRun, ours },
  { name: "locked down, user's setup", setup: true, run: lockedRun, ours },
];

const rows: string[] = [];
for (const v of variants) {
  const sizes: number[] = [];
  let leaked = false;
  for (let i = 0; i < RUNS; i++) {
    const stub = startMessagesStub({ behaviour: { kind: "reply", text: '{"title":"t"}' } });
    const home = join(work, `${v.name.replace(/\W+/g, "-")}-${i}`);
    mkdirSync(home, { recursive: true });
    const setup = v.setup ? claudeUserSetup(home) : null;
    await v.run(home, stub.url);
    const request = stub.messageRequests()[0];
    const body = request?.rawBody ?? "";
    sizes.push(Buffer.byteLength(body));
    if (setup && (setup.touched().length > 0 || setup.sentinels.some((s) => body.includes(s))))
      leaked = true;
    if (request && !userText(request).includes("fix the cache test"))
      throw new Error("prompt missing");
    await stub.stop();
  }
  const size = median(sizes);
  rows.push(`| ${v.name} | ${size} | ${size - v.ours} | ${leaked ? "yes" : "no"} |`);
  console.log(v.name, "body", size, "overhead", size - v.ours, "leaked", leaked);
}

const version = Bun.spawnSync([CLAUDE, "--version"]).stdout.toString().trim();
const report = `# Request overhead per summary run (issue 9)

\`bun bench/lockdown.bench.ts --runs ${RUNS} --write\`, ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, shared.
Bun ${Bun.version}, Claude Code ${version}, loopback Messages API stand-in.

Body of the one \`POST /v1/messages\` request (median of ${RUNS} runs; sizes hardly vary) and the
overhead beyond our prompt and system prompt (${ours} bytes together). "User's setup" is
\`test/support/user-home.ts\`: a 17 KB CLAUDE.md, hooks on five events, a recorder hook, MCP
servers, a skill and an agent. "Leaked" means a hook or MCP server ran, or a sentinel from the
setup reached the request. The first release sent our instructions in the user message with the
CLI's default system prompt; it is the baseline, measured in the same run.

| argv | request body (bytes) | overhead (bytes) | leaked |
|---|---|---|---|
${rows.join("\n")}

Target: overhead at most 1,500 bytes in both locked-down rows.
`;
if (process.argv.includes("--write")) {
  writeFileSync(join(root, "bench/results/lockdown.md"), report);
  console.log("wrote bench/results/lockdown.md");
} else console.log(report);
