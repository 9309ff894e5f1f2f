import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./tmp.ts";

/** Runs git synchronously in a test; throws with its output when it fails. */
export function git(cwd: string, ...args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      GIT_TERMINAL_PROMPT: "0",
      LC_ALL: "C",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  if (r.exitCode !== 0)
    throw new Error(`git ${args.join(" ")} failed: ${r.stdout.toString()}${r.stderr.toString()}`);
  return r.stdout.toString();
}

function configure(repo: string, user: string): void {
  git(repo, "config", "user.name", user);
  git(repo, "config", "user.email", `${user}@example.org`);
  git(repo, "config", "commit.gpgsign", "false");
}

export interface TestLedger {
  ledger: string;
  sessions: string;
  /** Bare remote, when created with git. */
  remote?: string;
}

/** A plain ledger directory with an empty sessions/ dir. */
export function plainLedger(): TestLedger {
  const ledger = join(tempDir("agentwork-ledger-"), "ledger");
  mkdirSync(join(ledger, "sessions"), { recursive: true });
  return { ledger, sessions: join(ledger, "sessions") };
}

/** A ledger that is a clone of a local bare remote, with one initial commit pushed. */
export function gitLedger(): TestLedger & { remote: string } {
  const root = tempDir("agentwork-gitledger-");
  const remote = join(root, "remote.git");
  git(root, "init", "--quiet", "--bare", "-b", "main", remote);
  const ledger = join(root, "ledger");
  git(root, "clone", "--quiet", remote, ledger);
  configure(ledger, "ledger");
  git(ledger, "checkout", "--quiet", "-B", "main");
  mkdirSync(join(ledger, "sessions"), { recursive: true });
  writeFileSync(join(ledger, "README.md"), "ledger\n");
  git(ledger, "add", "README.md");
  git(ledger, "commit", "--quiet", "-m", "init");
  git(ledger, "push", "--quiet", "-u", "origin", "main");
  return { ledger, sessions: join(ledger, "sessions"), remote };
}

/** Another clone of the remote, standing for a second machine pushing to the same ledger. */
export function otherClone(remote: string): string {
  const dir = join(tempDir("agentwork-clone-"), "other");
  git(tempDir(), "clone", "--quiet", remote, dir);
  configure(dir, "other");
  return dir;
}

export type Line = Record<string, unknown>;

export const HEADER: Line = {
  type: "header",
  metadata: {
    version: "1.0",
    created_at: "2026-03-14T08:15:00Z",
    agent_id: "OxQ7mZ",
    agent_type: "claude-code",
    username: "dana@example.org",
  },
};

/** A short multi-turn dialogue with one read and one edit (no footer: Ctrl-C). */
export function dialogue(): Line[] {
  return [
    {
      type: "user",
      content: "Why does the cache test flake on CI?",
      seq: 0,
      timestamp: "2026-03-14T08:15:04Z",
    },
    {
      type: "tool",
      content: "",
      seq: 1,
      timestamp: "2026-03-14T08:15:09Z",
      tool_name: "Grep",
      tool_input: '{"pattern":"evictAfter","path":"/home/dana/src/svc/cache"}',
    },
    {
      type: "tool",
      content: "",
      seq: 2,
      timestamp: "2026-03-14T08:15:20Z",
      tool_name: "Edit",
      tool_input: JSON.stringify({
        file_path: "/home/dana/src/svc/cache/lru.go",
        old_string: "time.Now()",
        new_string: "c.clock.Now()",
      }),
      tool_output: "1 replacement",
    },
    {
      type: "assistant",
      content: "The TTL uses wall-clock time; I switched it to the injected clock.",
      seq: 3,
      timestamp: "2026-03-14T08:15:31Z",
    },
  ];
}

export function jsonl(lines: Line[]): string {
  return `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
}

export interface SessionSpec {
  lines?: Line[];
  /** Raw text instead of lines (malformed input). */
  raw?: string;
  marker?: Line | string;
  /** Marker mtime in ms (for corrupt-marker and no-started_at cases). */
  markerMtimeMs?: number;
  artifacts?: boolean;
}

/** Writes one session dir; returns its path. */
export function writeSession(sessionsDir: string, name: string, spec: SessionSpec = {}): string {
  const dir = join(sessionsDir, name);
  mkdirSync(dir, { recursive: true });
  if (spec.raw !== undefined) writeFileSync(join(dir, "raw.jsonl"), spec.raw);
  else if (spec.lines) writeFileSync(join(dir, "raw.jsonl"), jsonl(spec.lines));
  if (spec.marker !== undefined) {
    const path = join(dir, ".recording.json");
    writeFileSync(
      path,
      typeof spec.marker === "string" ? spec.marker : JSON.stringify(spec.marker, null, 2),
    );
    if (spec.markerMtimeMs !== undefined)
      utimesSync(path, spec.markerMtimeMs / 1000, spec.markerMtimeMs / 1000);
  }
  if (spec.artifacts) {
    for (const a of ["summary.md", "summary.json", "session.html", "session.md"])
      writeFileSync(join(dir, a), "x");
  }
  return dir;
}

/** A pid that certainly belongs to no running process: a child that has exited and been reaped. */
export function deadPid(): number {
  const child = Bun.spawnSync(["true"]);
  return child.pid;
}

/**
 * A generated ledger of `count` sessions (for tests and benchmarks): most finalized, some
 * unfinalized, some recording, some header-only, a few legacy dirs.
 */
export function generateLedger(
  sessionsDir: string,
  count: number,
  options: { nowMs: number },
): { unfinalized: number } {
  mkdirSync(sessionsDir, { recursive: true });
  const body = jsonl([HEADER, ...dialogue()]);
  const headerOnly = jsonl([HEADER]);
  let unfinalized = 0;
  for (let i = 0; i < count; i++) {
    const name = `2026-03-${String((i % 28) + 1).padStart(2, "0")}T10-00-user${i}-Ox${i.toString(36)}`;
    const dir = join(sessionsDir, name);
    mkdirSync(dir);
    const kind = i % 20;
    writeFileSync(join(dir, "raw.jsonl"), kind === 3 ? headerOnly : body);
    if (kind === 1 || kind === 2) unfinalized++;
    if (kind === 4) {
      writeFileSync(
        join(dir, ".recording.json"),
        JSON.stringify({
          agent_id: "x",
          started_at: new Date(options.nowMs - 60_000).toISOString(),
        }),
      );
    }
    if (kind === 0 || kind > 4) {
      for (const a of ["summary.md", "summary.json", "session.html", "session.md"])
        writeFileSync(join(dir, a), "x");
    }
  }
  return { unfinalized };
}
