import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Redactor } from "../../src/core/redaction/redactor.ts";
import { discoverSources } from "../../src/sources/discover.ts";
import type { ImportReport } from "../../src/sources/import-pass.ts";
import type { SourceFile } from "../../src/sources/imported-session.ts";
import { SUMMARY_RUN_MARKER } from "../../src/sources/summary-run.ts";
import { FakeClock } from "../support/clock.ts";
import {
  BROKEN_WORKER,
  COUNTING_WORKER,
  DIES_ON_WRITE_WORKER,
  DYING_WORKER,
} from "../support/import-workers.ts";
import { exampleHome, filesUnder, HOUR, type ImportRig, importRig, setMtime } from "./helpers.ts";

const NOW = new FakeClock().now();
const TWO_THREADS = { threads: 2, from: 1 };
const ONE_THREAD = { threads: 1 };
const redactor = () => new Redactor([{ name: "acme_id", pattern: "ACME-[0-9]{4}" }]);
const config = { sourceProjects: ["!/home/dana/src/private*"] };

function line(record: Record<string, unknown>): string {
  return `${JSON.stringify(record)}\n`;
}

/** A Claude transcript: a question, a tool call, a long tool result, an answer. */
function transcript(n: number, extra: { question?: string; output?: string } = {}): string {
  const sessionId = `${n.toString(16).padStart(8, "0")}-aaaa-4bbb-8ccc-${"d".repeat(12)}`;
  const base = { sessionId, cwd: `/home/dana/src/app${n % 3}`, version: "2.1.197" };
  const at = (s: number) => new Date(Date.UTC(2026, 2, 1, n) + s * 1000).toISOString();
  const output = extra.output ?? `line ${n}: ${"export const x = 1;\\n".repeat(30)}`;
  return [
    line({
      ...base,
      type: "user",
      timestamp: at(0),
      message: { role: "user", content: extra.question ?? `Task ${n}: fix the build` },
    }),
    line({
      ...base,
      type: "assistant",
      timestamp: at(1),
      message: {
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [
          { type: "text", text: "Reading the file." },
          { type: "tool_use", id: `t${n}`, name: "Read", input: { file_path: `/src/f${n}.ts` } },
        ],
      },
    }),
    line({
      ...base,
      type: "user",
      timestamp: at(2),
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: `t${n}`, content: output }],
      },
    }),
    line({
      ...base,
      type: "assistant",
      timestamp: at(3),
      message: { role: "assistant", content: [{ type: "text", text: `Fixed ${n}.` }] },
    }),
  ].join("");
}

/**
 * The example transcripts of all three CLIs, plus 33 Claude ones as a user's history has them:
 * secrets (a built-in kind and a `redact_patterns` one), copies beside four of them (the same
 * session id: their names clash; `clash: false` leaves them out), an empty one, a summary run,
 * a private project left out, a malformed line, a cut-off last line.
 */
function busyHome({ clash = true } = {}): string {
  const home = exampleHome(NOW);
  const claude = (project: string, name: string, text: string) => {
    const dir = join(home, ".claude/projects", project);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  for (let n = 0; n < 24; n++) {
    const secret =
      n % 5 === 0
        ? { output: `key AKIAABCDEFGHIJKLMNOP and ACME-${1000 + n} ${"x".repeat(300)}` }
        : {};
    claude(`-home-dana-src-app${n % 3}`, `${n}.jsonl`, transcript(n, secret));
  }
  if (clash)
    for (let n = 0; n < 4; n++)
      claude(`-home-dana-src-app${n % 3}`, `${n}-copy.jsonl`, transcript(n));
  claude("-home-dana-src-app0", "empty.jsonl", line({ type: "queue-operation", operation: "x" }));
  claude("-home-dana-src-app1", "ours.jsonl", transcript(40, { question: SUMMARY_RUN_MARKER }));
  claude("-home-dana-src-private", "p.jsonl", transcript(41).replaceAll("/app2", "/private"));
  claude("-home-dana-src-app2", "bad.jsonl", `${transcript(42)}{not json\n`);
  claude("-home-dana-src-app2", "cut.jsonl", `${transcript(43)}{"type":"user","timest`);
  for (const file of filesUnder(home)) setMtime(file, NOW - 2 * HOUR);
  return home;
}

/**
 * Each copy right before its original: whichever lane reads the copy, the original's name is
 * decided while the copy's write may still be under way in the other thread.
 */
function withCopiesFirst(files: SourceFile[]): SourceFile[] {
  const copies = files.filter((f) => f.id.endsWith("-copy"));
  const rest = files.filter((f) => !f.id.endsWith("-copy"));
  return rest.flatMap((f) => [...copies.filter((c) => c.id === `${f.id}-copy`), f]);
}

/** The ledger's files and their bytes, by path under the ledger. */
function ledgerFiles(rig: ImportRig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of filesUnder(rig.sessions))
    out[file.slice(rig.ledger.length)] = readFileSync(file, "utf8");
  return out;
}

function rows(rig: ImportRig) {
  return (["claude", "codex", "gemini"] as const).map((kind) => [
    ...rig.storage.sources.all(kind).values(),
  ]);
}

function rigFor(home: string, parallel: { threads: number; from?: number; workerEntry?: string }) {
  return importRig({ home, config, redactor: redactor(), parallel });
}

/** The transcripts the counting worker read for `home` (`COUNTING_WORKER`). */
function workerReads(home: string): string[] {
  const log = join(dirname(home), "worker-reads");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
}

describe("a first import on two threads", () => {
  test("writes, names, skips and reports exactly what one thread does; the worker did part of it", async () => {
    const home = busyHome();
    const one = rigFor(home, ONE_THREAD);
    const files = withCopiesFirst(discoverSources(one.config.sources, one.roots).files);
    const expected = await one.importer.importFiles(files, one.config);
    const two = rigFor(home, { ...TWO_THREADS, workerEntry: COUNTING_WORKER });
    const got = await two.importer.importFiles(files, two.config);

    expect(got).toEqual(expected);
    expect(ledgerFiles(two)).toEqual(ledgerFiles(one));
    expect(rows(two)).toEqual(rows(one));
    expect(two.storage.sources.skips("claude")).toEqual(one.storage.sources.skips("claude"));
    // What the history holds, read either way.
    expect(got.imported).toHaveLength(4 + 24 + 4 + 2);
    expect(
      got.imported.filter((n) => n.startsWith("2026-03-01T01-00-dana-claude-00000001")),
    ).toEqual([
      "2026-03-01T01-00-dana-claude-00000001",
      "2026-03-01T01-00-dana-claude-00000001aaaa",
    ]);
    expect(got.ignored).toBe(3);
    expect(got.problems.map((p) => p.reason).join("\n")).toMatch(/malformed line\(s\): 5/);
    expect(got.problems.map((p) => p.reason).join("\n")).toMatch(/cut off/);
    const raw = Object.entries(ledgerFiles(two))
      .filter(([path]) => path.endsWith("raw.jsonl"))
      .map(([, text]) => text)
      .join("");
    expect(raw).not.toMatch(/AKIAABCDEFGHIJKLMNOP|ACME-10/);
    expect(raw).toContain("[REDACTED:acme_id]");
    // Both threads read transcripts.
    const reads = workerReads(home);
    expect(reads.length).toBeGreaterThan(5);
    expect(reads.length).toBeLessThan(got.imported.length);
  });

  // How a transcript found by discovery is spoiled before its read, and what the report says.
  const spoilers = {
    vanished: {
      spoil: (path: string) => rmSync(path),
      reason: () => "vanished while being read; skipped",
    },
    // Found as a file, a directory by the time it is read: not a regular file.
    "cannot be read": {
      spoil: (path: string) => {
        rmSync(path);
        mkdirSync(path);
      },
      reason: (path: string) => `${path} is a directory, not a regular file; skipped`,
    },
  };
  for (const [what, { spoil, reason }] of Object.entries(spoilers))
    test(`a transcript that ${what} in the worker is reported as in one thread and imported once it is back`, async () => {
      const home = busyHome();
      const two = rigFor(home, { ...TWO_THREADS, workerEntry: COUNTING_WORKER });
      const { files } = discoverSources(two.config.sources, two.roots);
      // The first file to import is the worker's first read.
      const bad = files.find((f) => f.kind === "claude") as SourceFile;
      const ordered = [bad, ...files.filter((f) => f !== bad)];
      const text = readFileSync(bad.path, "utf8");
      spoil(bad.path);
      const report = await two.importer.importFiles(ordered, two.config);
      expect(workerReads(home)[0]).toBe(bad.path);
      const one = rigFor(home, ONE_THREAD);
      expect(report).toEqual(await one.importer.importFiles(ordered, one.config));
      const problems = report.problems.filter((p) => p.path === bad.path);
      expect(problems.map((p) => p.reason)).toEqual([reason(bad.path)]);
      // Back, and the next pass imports it: nothing was recorded for it.
      rmSync(bad.path, { recursive: true, force: true });
      writeFileSync(bad.path, text);
      setMtime(bad.path, NOW - 2 * HOUR);
      const again = await two.importer.run(two.config);
      expect(again.imported).toHaveLength(1);
    });
});

describe("a worker that stops", () => {
  async function expectSameLedger(rig: ImportRig, first: ImportReport) {
    const one = rigFor(rig.home, ONE_THREAD);
    const expected = await one.importer.run(one.config);
    const second = await rig.importer.run(rig.config);
    expect([...first.imported, ...second.imported].sort()).toEqual([...expected.imported].sort());
    expect(ledgerFiles(rig)).toEqual(ledgerFiles(one));
  }

  test("exits mid-pass: its reads are done again here, a session it held is imported next pass", async () => {
    // No clashing names: a session imported a pass later would take the other name.
    const rig = rigFor(busyHome({ clash: false }), { ...TWO_THREADS, workerEntry: DYING_WORKER });
    const first = await rig.importer.run(rig.config);
    expect(rig.warnings.filter((w) => w.endsWith("the pass goes on in one thread"))).toEqual([
      "sources: import worker exited; the pass goes on in one thread",
    ]);
    // At most the one session the worker held was lost with it, and reported with its path.
    const lost = first.problems.filter((p) => p.reason === "import worker exited; skipped");
    expect(lost.length).toBeLessThanOrEqual(1);
    expect(first.imported).toHaveLength(30 - lost.length);
    await expectSameLedger(rig, first);
  });

  test("exits while it holds only a write: the write is reported lost and the stop logged", async () => {
    const rig = rigFor(busyHome({ clash: false }), {
      ...TWO_THREADS,
      workerEntry: DIES_ON_WRITE_WORKER,
    });
    const { files } = discoverSources(rig.config.sources, rig.roots);
    // One transcript: the worker reads it, and no read of it is waiting when it stops.
    const only = files.find((f) => f.kind === "claude") as SourceFile;
    const report = await rig.importer.importFiles([only], rig.config);
    expect(report.imported).toEqual([]);
    expect(report.problems).toEqual([{ path: only.path, reason: "import worker exited; skipped" }]);
    expect(rig.warnings).toEqual(["sources: import worker exited; the pass goes on in one thread"]);
    expect(rig.storage.sources.all("claude").size).toBe(0);
  });

  test("cannot start: the pass imports everything in its own thread", async () => {
    const rig = rigFor(busyHome({ clash: false }), { ...TWO_THREADS, workerEntry: BROKEN_WORKER });
    const first = await rig.importer.run(rig.config);
    expect(rig.warnings.join("\n")).toContain("this import worker cannot start");
    expect(first.imported).toHaveLength(30);
    await expectSameLedger(rig, first);
  });
});
