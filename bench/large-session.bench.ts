/**
 * One 300 MB session, finalized and pushed to a local bare remote in one pass, as the daemon does
 * it (handler.prepare: the model-free exports; handler.processResult: summary files, meta.json,
 * the exports again with the summary, commit, push), with a fixed summary instead of a model run.
 * Baseline in the same run: committing and pushing raw.jsonl alone with plain git (what any
 * finalization must at least pay). Each run is a fresh process on a fresh clone, under
 * /usr/bin/time for peak RSS. Usage: bun bench/large-session.bench.ts [MB] [runs]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asWorkItem, result } from "../test/handlers/session-finalize/helpers.ts";
import { machine, timed } from "./detect.bench.ts";
import { generate, median } from "./export.bench.ts";

const NAME = "2026-03-14T08-15-dana-OxHuge";
const SUMMARY = JSON.stringify({
  title: "A very long session",
  summary: "Benchmark session with large tool outputs.",
  key_actions: ["Read many files"],
  outcome: "success",
  topics_found: ["benchmark"],
  quality_score: 0.8,
  score_reason: "benchmark",
});

function git(cwd: string, ...args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** A fresh ledger clone with a bare remote and the session's raw.jsonl copied in. */
function freshLedger(root: string, raw: string, run: string): { ledger: string; remote: string } {
  const base = join(root, run);
  const remote = join(base, "remote.git");
  const ledger = join(base, "ledger");
  mkdirSync(base);
  git(base, "init", "--quiet", "--bare", "-b", "main", remote);
  git(base, "clone", "--quiet", remote, ledger);
  git(ledger, "config", "user.name", "bench");
  git(ledger, "config", "user.email", "bench@example.org");
  git(ledger, "checkout", "--quiet", "-B", "main");
  git(ledger, "commit", "--quiet", "--allow-empty", "-m", "init");
  git(ledger, "push", "--quiet", "-u", "origin", "main");
  mkdirSync(join(ledger, "sessions", NAME), { recursive: true });
  copyFileSync(raw, join(ledger, "sessions", NAME, "raw.jsonl"));
  return { ledger, remote };
}

async function child(mode: string, ledger: string): Promise<void> {
  const t0 = performance.now();
  if (mode === "git") {
    git(ledger, "add", "--", `sessions/${NAME}/`);
    git(ledger, "commit", "--quiet", "-m", `finalize session ${NAME}`);
    git(ledger, "push", "--quiet");
    console.log(JSON.stringify({ ms: performance.now() - t0, pushed: true }));
    return;
  }
  const { SessionFinalizeHandler } = await import("../src/handlers/session-finalize/handler.ts");
  const { newSessionFinalizeItem } = await import("../src/handlers/session-finalize/item.ts");
  const { silentLogger } = await import("../src/core/logger.ts");
  const { systemClock } = await import("../src/core/clock.ts");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const handler = new SessionFinalizeHandler({
    ledgerPath: ledger,
    scanDirs: [],
    qualityUploadThreshold: 0.3,
    qualityDiscardThreshold: 0.1,
    gitPush: true,
    clock: systemClock,
    logger: silentLogger(),
    gitEnv: env,
  });
  const item = asWorkItem(newSessionFinalizeItem(ledger, NAME));
  await handler.prepare(item);
  const prepared = performance.now();
  await handler.processResult(item, result(SUMMARY));
  // The ledger step (commit + push) runs apart from the agent's part, as the scheduler runs it.
  const pending = await handler.publish();
  console.log(
    JSON.stringify({
      ms: performance.now() - t0,
      prepareMs: prepared - t0,
      pushed: pending.push === 0 && pending.commit.length === 0,
      pushError: pending.error,
    }),
  );
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  if (process.argv[2] === "--child")
    return child(process.argv[3] as string, process.argv[4] as string);
  const mb = Number(process.argv[2] ?? 300);
  const runs = Number(process.argv[3] ?? 3);
  const root = mkdtempSync(join(tmpdir(), "agentwork-bench-large-"));
  try {
    const raw = join(root, "raw.jsonl");
    const entries = generate(raw, mb * 1024 * 1024);
    const res = {
      git: { ms: [] as number[], rss: [] as number[] },
      finalize: { ms: [] as number[], rss: [] as number[], prep: [] as number[] },
    };
    const pushes: string[] = [];
    let sizes: Record<string, number> = {};
    let tmpDirs = 0;
    for (let r = 0; r < runs; r++) {
      for (const mode of ["git", "finalize"] as const) {
        const { ledger, remote } = freshLedger(root, raw, `${mode}-${r}`);
        const out = timed([process.execPath, import.meta.path, "--child", mode, ledger]);
        const parsed = JSON.parse(out.stdout) as {
          ms: number;
          prepareMs?: number;
          pushed: boolean;
          pushError?: string | null;
        };
        res[mode].ms.push(parsed.ms);
        res[mode].rss.push(out.maxRssKb);
        if (mode === "finalize") {
          res.finalize.prep.push(parsed.prepareMs ?? 0);
          pushes.push(parsed.pushed ? "pushed" : `not pushed: ${parsed.pushError}`);
          const dir = join(ledger, "sessions", NAME);
          sizes = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size]));
          const objects = join(remote, "objects");
          tmpDirs += readdirSync(objects).filter((d) => d.startsWith("tmp_objdir")).length;
          const remoteLog = git(remote, "log", "--format=%s", "main");
          if (!remoteLog.includes(`finalize session ${NAME}`))
            pushes.push("commit missing on remote");
        }
        rmSync(join(root, `${mode}-${r}`), { recursive: true, force: true });
      }
    }
    const g = res.git;
    const f = res.finalize;
    console.log(`# Large session benchmark: finalize + push of one ${mb} MB raw.jsonl\n`);
    console.log(
      `Machine: ${machine()}, git ${git(root, "--version").trim().replace("git version ", "")}. Shared with other jobs (2 cores, 5 agents): noisy, read the ratios.\n`,
    );
    console.log(
      `Input: raw.jsonl of ${mib(statSync(raw).size)}, ${entries} entries (the export benchmark's generator: dialogue, Read/Edit/Bash calls with large outputs). ${runs} runs each, alternating, each on a fresh clone with a fresh local bare remote; medians.\n`,
    );
    console.log(
      "| measure | git add+commit+push of raw.jsonl alone | agentwork finalize + push | ratio |\n|---|---|---|---|",
    );
    console.log(
      `| time (ms) | ${median(g.ms).toFixed(0)} | ${median(f.ms).toFixed(0)} (exports before the model: ${median(f.prep).toFixed(0)}) | ${(median(f.ms) / median(g.ms)).toFixed(2)}x |`,
    );
    console.log(
      `| peak RSS (MB) | ${(median(g.rss) / 1024).toFixed(1)} | ${(median(f.rss) / 1024).toFixed(1)} | ${(median(f.rss) / median(g.rss)).toFixed(2)}x |`,
    );
    console.log(
      `\nPush outcome per run: ${pushes.join("; ")}. tmp_objdir-incoming-* left on the remotes: ${tmpDirs}.\n`,
    );
    console.log(
      "Artifacts in the session dir (all committed except raw.jsonl's size is the input):\n",
    );
    console.log("| file | size |\n|---|---|");
    for (const [file, size] of Object.entries(sizes).sort())
      console.log(`| ${file} | ${mib(size)} |`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
