/**
 * A dashboard's world for tests, screenshots and the benchmark: a ledger with sessions in every
 * state (one transcript and one title holding `<script>`), and a real database with items in every
 * state, failed attempts and run history over 30 days. Run as a script it prints the paths as
 * JSON: `bun test/support/ui-seed.ts <dir> [items] [runs]`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/core/clock.ts";
import { doNotRetry, retryLater } from "../../src/core/errors.ts";
import { silentLogger } from "../../src/core/logger.ts";
import type { JobState } from "../../src/core/work-item.ts";
import { summaryMarkdown } from "../../src/handlers/session-finalize/artifacts/summary-md.ts";
import { exportSession } from "../../src/handlers/session-finalize/export.ts";
import type { Summary } from "../../src/handlers/session-finalize/summary.ts";
import { dedupKeyFor } from "../../src/handlers/session-finalize/types.ts";
import { openStorage } from "../../src/queue/storage.ts";

export const HOSTILE = "<script>window.__pwned = 1</script>";
/** Now, to the minute: history ends here, so the charts show it. */
export const SEED_NOW = Math.floor(systemClock.now() / 60_000) * 60_000;
const DAY = 86_400_000;

export interface SeededWorld {
  ledger: string;
  db: string;
  config: string;
  /** Item ids by state, newest last. */
  items: Record<JobState, string[]>;
  hostileSession: string;
}

const SESSIONS = [
  { name: "2026-03-14T08-15-dana-OxQ7mZ", user: "dana@example.org", state: "summarized" },
  { name: "2026-03-15T14-02-ryan-OxTndR", user: "ryan@example.org", state: "held" },
  { name: "2026-03-16T09-40-mei-OxP4kc", user: "mei@example.org", state: "discarded" },
  { name: "2026-03-17T11-05-sam-OxW2pa", user: "sam@example.org", state: "waiting" },
] as const;

function rawJsonl(name: string, user: string): string {
  const created = `${name.slice(0, 10)}T${name.slice(11, 13)}:${name.slice(14, 16)}:00Z`;
  return `${[
    {
      type: "header",
      metadata: {
        version: "1.0",
        created_at: created,
        agent_id: name.slice(-6),
        agent_type: "claude-code",
        username: user,
      },
    },
    { type: "user", content: `Please look at this page: ${HOSTILE}`, seq: 1, timestamp: created },
    {
      type: "assistant",
      content: "The tag above is shown as text, never run.",
      seq: 2,
      timestamp: created,
    },
  ]
    .map((l) => JSON.stringify(l))
    .join("\n")}\n`;
}

async function seedLedger(ledger: string): Promise<void> {
  for (const s of SESSIONS) {
    const dir = join(ledger, "sessions", s.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "raw.jsonl"), rawJsonl(s.name, s.user));
    if (s.state === "held") writeFileSync(join(dir, ".held"), "{}\n");
    if (s.state === "discarded") writeFileSync(join(dir, ".discarded.json"), "{}\n");
    if (s.state !== "summarized") continue;
    const summary: Summary = {
      title: `Fix the flaky eviction test ${HOSTILE}`,
      summary: "Found a clock race in the LRU cache test and injected a fake clock.",
      key_actions: ["Read the test", "Injected a clock"],
      outcome: "The test passes 500 runs in a row.",
      topics_found: ["testing"],
      quality_score: 0.82,
    };
    writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      join(dir, "summary.md"),
      summaryMarkdown(summary, { createdAt: "2026-03-14T08:15:00Z", username: s.user }, []),
    );
    writeFileSync(join(dir, "meta.json"), "{}\n");
    await exportSession(dir, { clock: { now: () => SEED_NOW }, logger: silentLogger() });
  }
}

/** Items in every state (plus `extra` queued/done ones) and `runs` history rows over 30 days. */
function seedDatabase(path: string, ledger: string, extra: number, runs: number) {
  let now = SEED_NOW - 2 * DAY;
  const storage = openStorage(path, {
    clock: { now: () => now },
    ownerPid: process.pid,
    maxQueueDepth: 1_000_000,
    maxAttempts: 3,
    retryDelay: () => DAY,
  });
  const items = Object.fromEntries(
    (["queued", "running", "retry_wait", "done", "failed", "cancelled"] as const).map((s) => [
      s,
      [] as string[],
    ]),
  ) as Record<JobState, string[]>;
  const plan: JobState[] = [
    "done",
    "failed",
    "failed",
    "retry_wait",
    "cancelled",
    "queued",
    "queued",
    "running",
  ];
  for (let i = 0; i < extra; i++) plan.push(i % 3 === 0 ? "queued" : "done");
  storage.transaction(() => {
    for (const [i, state] of plan.entries()) {
      now += 1000;
      const name = SESSIONS[i % SESSIONS.length]?.name ?? "";
      const sessionName = i < SESSIONS.length ? name : `${name}-${i}`;
      const result = storage.queue.enqueue({
        type: "session-finalize",
        priority: state === "queued" || state === "cancelled" ? 0 : -1,
        dedupKey: dedupKeyFor(sessionName),
        payload: {
          session_name: sessionName,
          session_dir: join(ledger, "sessions", sessionName),
          missing: ["summary.json"],
        },
      });
      if (!result.ok) throw new Error(`seed enqueue failed: ${result.reason}`);
      const id = result.item.id;
      items[state].push(id);
      if (state === "queued") continue;
      if (state === "cancelled") {
        storage.queue.cancel(id);
        continue;
      }
      const claimed = storage.queue.dequeue();
      if (!claimed || claimed.id !== id) throw new Error("seed claim took another item");
      const run = storage.runs.start({
        itemId: id,
        attempt: 1,
        workType: "session-finalize",
        target: sessionName,
        startedAt: now,
      });
      if (state === "running") {
        storage.runs.setPid(run, 4242);
        continue;
      }
      const failed = state === "failed" || state === "retry_wait";
      const error = failed ? `agent exited 1: ${HOSTILE}` : null;
      storage.runs.finish(run, {
        status: failed ? "failed" : "completed",
        finishedAt: now + 42_000,
        exitCode: failed ? 1 : 0,
        errorCode: failed ? "E_AGENT_FAILED" : null,
        error,
        tokensIn: 12_000,
        tokensOut: 900,
        costUsd: 0.031,
        pid: 4000 + i,
        outcome: failed ? (state === "failed" ? "failure" : undefined) : "success",
      });
      if (state === "done") {
        storage.queue.complete(claimed);
        continue;
      }
      storage.queue.fail(
        claimed,
        state === "failed"
          ? doNotRetry("E_AGENT_FAILED", error ?? "")
          : retryLater("E_AGENT_FAILED", error ?? "", DAY),
      );
    }
    for (let r = 0; r < runs; r++) {
      const startedAt = SEED_NOW - Math.floor((((r * 7919) % runs) / runs) * 30 * DAY);
      const id = storage.runs.start({
        itemId: items.done[r % Math.max(1, items.done.length)] ?? "",
        attempt: 1,
        workType: "session-finalize",
        target: "history",
        startedAt,
      });
      storage.runs.finish(id, {
        status: r % 9 === 0 ? "failed" : "completed",
        finishedAt: startedAt + 30_000 + (r % 60) * 1000,
        exitCode: r % 9 === 0 ? 1 : 0,
        tokensIn: 8_000 + (r % 50) * 100,
        tokensOut: 600 + (r % 30) * 10,
        costUsd: 0.02 + (r % 10) / 1000,
      });
    }
  });
  storage.close();
  return items;
}

export async function seedWorld(
  dir: string,
  options: { extraItems?: number; runs?: number } = {},
): Promise<SeededWorld> {
  const ledger = join(dir, "ledger");
  const db = join(dir, "agentwork.db");
  const config = join(dir, "config.yaml");
  await seedLedger(ledger);
  const items = seedDatabase(db, ledger, options.extraItems ?? 0, options.runs ?? 200);
  writeFileSync(config, "enabled: true\n");
  return { ledger, db, config, items, hostileSession: SESSIONS[0].name };
}

if (import.meta.main) {
  const [dir, extra, runs] = process.argv.slice(2);
  if (!dir) throw new Error("usage: bun test/support/ui-seed.ts <dir> [items] [runs]");
  const world = await seedWorld(dir, { extraItems: Number(extra ?? 0), runs: Number(runs ?? 200) });
  process.stdout.write(`${JSON.stringify(world)}\n`);
}
