// Codex and Gemini runs locked down vs the bare CLI (issue 13): the request body the real CLI
// sends for one summary, the overhead beyond our prompt and system prompt, whether anything of
// the user's setup leaked (a sentinel in a request, or a hook / MCP server / notify touched a
// file), and the wall time of a run. Real CLIs against the loopback stand-ins, in a HOME set up
// as people have it (test/support/agent-user-homes.ts). The bare CLI, run directly with the
// user's own config, is the baseline, measured in the same run.
// Usage: bun bench/agent-lockdown.bench.ts [--runs 3] [--write]

import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { SUMMARY_SYSTEM_PROMPT } from "../src/handlers/session-finalize/prompt.ts";
import { CodexRunner } from "../src/runners/codex-runner.ts";
import { GeminiRunner } from "../src/runners/gemini-runner.ts";
import { codexUserSetup, geminiUserSetup } from "../test/support/agent-user-homes.ts";
import { startGeminiStub } from "../test/support/gemini-api-stub.ts";
import type { RecordingServer } from "../test/support/recording-server.ts";
import { startResponsesStub } from "../test/support/responses-api-stub.ts";

const root = join(import.meta.dir, "..");
const CODEX = join(root, ".cache/codex/node_modules/.bin/codex");
const GEMINI = join(root, ".cache/gemini-cli/node_modules/.bin/gemini");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
const PROMPT = `Session s1; agent claude; 3 entries.\n\n<transcript>\n${"[#1 user] fix the cache test\n".repeat(20)}</transcript>\n\nReply with the JSON summary object only.\n`;
const OURS = Buffer.byteLength(PROMPT) + Buffer.byteLength(SUMMARY_SYSTEM_PROMPT);
const PATH = "/usr/local/bin:/usr/bin:/bin";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

interface Sample {
  bytes: number;
  requests: number;
  ms: number;
  leaked: boolean;
  tools: number;
}

async function bare(argv: string[], env: Record<string, string>, cwd: string): Promise<void> {
  const proc = Bun.spawn(argv, {
    cwd,
    env,
    stdin: new Blob([PROMPT]),
    stdout: "ignore",
    stderr: "ignore",
  });
  await proc.exited;
}

/** All model requests of the run: bytes summed, the most tools any of them declared. */
function sample(
  server: RecordingServer,
  isModel: (path: string) => boolean,
  tools: (body: unknown) => number,
  touched: string[],
  sentinels: string[],
  ms: number,
): Sample {
  const requests = server.requests.filter((r) => r.method === "POST" && isModel(r.path));
  const leaked =
    touched.length > 0 || server.requests.some((r) => sentinels.some((s) => r.rawBody.includes(s)));
  return {
    bytes: requests.reduce((sum, r) => sum + Buffer.byteLength(r.rawBody), 0),
    requests: requests.length,
    ms,
    leaked,
    tools: Math.max(0, ...requests.map((r) => tools(r.body))),
  };
}

async function codexOnce(locked: boolean): Promise<Sample> {
  const home = mkdtempSync(join(tmpdir(), "agentwork-bench-codex-"));
  const stub = startResponsesStub({
    kind: "reply",
    text: '{"title":"t","summary":"s","quality_score":0.5}',
  });
  const user = codexUserSetup(home, stub.url);
  const started = performance.now();
  if (locked) {
    await new CodexRunner({
      agentBin: CODEX,
      env: { PATH },
      home,
      workRoot: join(home, "runs"),
      extraEnv: { STUB_API_KEY: "k" },
    }).run({
      prompt: PROMPT,
      systemPrompt: SUMMARY_SYSTEM_PROMPT,
    });
  } else {
    // The bare CLI with the user's config; our instructions go in the prompt, as before lock-down.
    await bare(
      [CODEX, "exec", "--json", "--skip-git-repo-check", "-"],
      { PATH, HOME: home, STUB_API_KEY: "k" },
      home,
    );
  }
  const ms = performance.now() - started;
  const tools = (body: unknown) => ((body as { tools?: unknown[] } | null)?.tools ?? []).length;
  const s = sample(
    stub,
    (p) => p.startsWith("/v1/responses"),
    tools,
    user.touched(),
    user.sentinels,
    ms,
  );
  await stub.stop();
  return s;
}

async function geminiOnce(locked: boolean): Promise<Sample> {
  const home = mkdtempSync(join(tmpdir(), "agentwork-bench-gemini-"));
  const stub = startGeminiStub({
    kind: "reply",
    parts: ['{"title":"t","summary":"s","quality_score":0.5}'],
  });
  const user = geminiUserSetup(home);
  const env = { GEMINI_API_KEY: "k", GOOGLE_GEMINI_BASE_URL: stub.url };
  const started = performance.now();
  if (locked) {
    await new GeminiRunner({
      agentBin: GEMINI,
      env: { PATH },
      home,
      workRoot: join(home, "runs"),
      extraEnv: env,
    }).run({
      prompt: PROMPT,
      systemPrompt: SUMMARY_SYSTEM_PROMPT,
    });
  } else {
    await bare(
      [GEMINI, "-p", "", "--output-format", "stream-json", "--skip-trust"],
      { PATH, HOME: home, ...env },
      home,
    );
  }
  const ms = performance.now() - started;
  const tools = (body: unknown) =>
    ((body as { tools?: { functionDeclarations?: unknown[] }[] } | null)?.tools ?? []).flatMap(
      (t) => t.functionDeclarations ?? [],
    ).length;
  const s = sample(
    stub,
    (p) => /:(stream)?generateContent/i.test(p),
    tools,
    user.touched(),
    user.sentinels,
    ms,
  );
  await stub.stop();
  return s;
}

const rows: string[] = [];
for (const [agent, once] of [
  ["codex", codexOnce],
  ["gemini", geminiOnce],
] as const) {
  for (const locked of [false, true]) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await once(locked));
    const bytes = median(samples.map((s) => s.bytes));
    const line = `| ${agent} ${locked ? "locked down (runner)" : "bare CLI, user's config (baseline)"} | ${bytes} | ${median(samples.map((s) => s.requests))} | ${bytes - OURS} | ${median(samples.map((s) => s.tools))} | ${samples.some((s) => s.leaked) ? "yes" : "no"} | ${Math.round(median(samples.map((s) => s.ms)))} |`;
    console.log(line);
    rows.push(line);
  }
}

const codexVersion = (
  await new Response(
    Bun.spawn([CODEX, "--version"], { env: { PATH, HOME: tmpdir() } }).stdout,
  ).text()
).trim();
const geminiVersion = (
  await new Response(
    Bun.spawn([GEMINI, "--version"], { env: { PATH, HOME: tmpdir() } }).stdout,
  ).text()
).trim();
const report = `# Codex and Gemini lock-down: request size, leaks, wall time (issue 13)

\`bun bench/agent-lockdown.bench.ts --runs ${RUNS} --write\`, ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, shared with other
agents' work (noisy: wall times vary by 2-3x between runs). Bun ${Bun.version}, ${codexVersion}, Gemini CLI ${geminiVersion},
loopback stand-ins (Responses API, Gemini API).

Medians of ${RUNS} runs. Bytes are summed over all model requests of a run. "Overhead" is that beyond our prompt and system prompt (${OURS} bytes together;
the bare baseline carries ours only as the prompt, so its overhead is understated by the system prompt's size).
"User's setup" is \`test/support/agent-user-homes.ts\`: AGENTS.md / GEMINI.md files with a sentinel, MCP servers, a
notify program, hooks, a skill, an extension, each of which only touches a file. "Leaked": a sentinel reached a
request or something was touched. The wall time is one whole run (probe cached after the first).

| run | request bodies (bytes) | model requests | overhead (bytes) | most tools in a request | leaked | wall ms |
|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
if (process.argv.includes("--write"))
  writeFileSync(join(root, "bench/results/agent-lockdown.md"), report);
console.log(report);
