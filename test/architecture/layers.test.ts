import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The architecture, checked: folders are layers and import only downward (or sideways where the
 * map below allows it), there is no import cycle, and the rules of AGENTS.md hold (SQL only in
 * src/db, process.env only in config loading, child processes only in core/process.ts, the
 * clock and timers only behind their seams, nothing in src imports test code).
 */
const SRC = resolve(import.meta.dir, "../../src");

/** Lower rank = lower layer. A module may import its own layer and any lower one. */
const RANK: Record<string, number> = {
  core: 0,
  "version.ts": 0,
  config: 1,
  db: 2,
  queue: 3,
  runners: 4,
  handlers: 5,
  sources: 5,
  scheduler: 6,
  operations: 7,
  ipc: 8,
  daemon: 9,
  ui: 9,
  doctor: 10,
  service: 10,
  cli: 11,
  "main.ts": 12,
};

/** Data files outside src that modules embed (the version, the migrations). */
const EMBEDDED = /(?:^|\/)package\.json$|\.sql$/;

/** Source text without comments: the rules are about code, not about prose that names them. */
function code(path: string): string {
  return readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith(".d.ts"))
      out.push(path);
  }
  return out;
}

const layerOf = (path: string) => relative(SRC, path).split("/")[0] ?? "";

/** What a module imports; `typesToo: false` leaves out `import type` (erased at run time). */
function imports(path: string, typesToo = true): string[] {
  const text = readFileSync(path, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(import|export)(\s+type)?\s[^"'`;]*?from\s+["']([^"']+)["']/g)) {
    if (m[3] && (typesToo || !m[2])) found.push(m[3]);
  }
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) if (m[1]) found.push(m[1]);
  return found;
}

const all = files(SRC);
const local = (from: string, spec: string) =>
  spec.startsWith(".") ? resolve(dirname(from), spec) : null;

describe("architecture", () => {
  test("every folder of src has a layer", () => {
    const unknown = [...new Set(all.map(layerOf))].filter((l) => RANK[l] === undefined);
    expect(unknown).toEqual([]);
  });

  test("layers import only downward", () => {
    const upward: string[] = [];
    for (const file of all) {
      const from = RANK[layerOf(file)] ?? 99;
      for (const spec of imports(file)) {
        const target = local(file, spec);
        if (target === null) continue;
        if (!target.startsWith(SRC) && !EMBEDDED.test(target)) {
          upward.push(`${relative(SRC, file)} imports outside src: ${spec}`);
          continue;
        }
        if (EMBEDDED.test(target)) continue;
        const to = RANK[layerOf(target)] ?? 99;
        if (to > from) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test("no import cycle between layers or files", () => {
    const graph = new Map<string, string[]>();
    for (const file of all) {
      const deps = imports(file, false)
        .map((spec) => local(file, spec))
        .filter(
          (t): t is string => typeof t === "string" && t.startsWith(SRC) && !EMBEDDED.test(t),
        );
      graph.set(file, deps);
    }
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push(
          [...path.slice(path.indexOf(node)), node].map((p) => relative(SRC, p)).join(" -> "),
        );
        return;
      }
      state.set(node, "open");
      for (const dep of graph.get(node) ?? []) visit(dep, [...path, node]);
      state.set(node, "done");
    };
    for (const file of all) visit(file, []);
    expect(cycles).toEqual([]);
  });

  const rule = (what: string, pattern: RegExp, allowed: (rel: string) => boolean) =>
    test(what, () => {
      const offenders = all
        .map((file) => relative(SRC, file))
        .filter((rel) => !allowed(rel) && pattern.test(code(join(SRC, rel))));
      expect(offenders).toEqual([]);
    });

  rule(
    "SQL only in src/db",
    /\b(?:SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|\.(?:prepare|query)\(\s*[`"'])/,
    (rel) => rel.startsWith("db/"),
  );
  rule(
    "process.env only in config loading",
    /process\.env\b/,
    (rel) => rel === "config/load.ts" || rel === "config/environment.ts",
  );
  rule(
    "child processes only in core/process.ts",
    /\bBun\.spawn(?:Sync)?\(|node:child_process|\bexecSync\(|\bspawnSync\(/,
    (rel) => rel === "core/process.ts",
  );
  rule(
    "Date.now() and raw timers only behind the clock and timers",
    /\bDate\.now\(\)|(?<![.\w])set(?:Timeout|Interval|Immediate)\(/,
    (rel) => rel === "core/clock.ts" || rel === "core/timers.ts",
  );
  rule(
    "src never imports test code or bun:test",
    /from\s+["'](?:bun:test|[./]*test\/)/,
    () => false,
  );
});

/** What evaluating a module evaluates: its static imports, transitively (type imports erased). */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(import|export)(\s+type)?\s[^"'`;]*?from\s+["']([^"']+)["']/g)) {
      const spec = m[3];
      if (!spec || m[2]) continue;
      const target = local(file, spec);
      if (target === null) seen.add(`package:${spec}`);
      else if (!EMBEDDED.test(target)) visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe("fast start (bench/results/cli.md)", () => {
  test("`status` without a daemon loads no query builder, table definitions, queue or runner", () => {
    const loaded = [...loadedBy(join(SRC, "cli/commands/status.ts"))].map((p) =>
      p.startsWith("package:") ? p : relative(SRC, p),
    );
    const heavy = loaded.filter(
      (p) =>
        p.startsWith("package:drizzle-orm") ||
        p === "package:uuid" ||
        p === "db/schema.ts" ||
        p.startsWith("queue/") ||
        p.startsWith("handlers/") ||
        /^runners\/.*-runner\.ts$/.test(p),
    );
    expect(heavy).toEqual([]);
    // The check sees the real graph: the status command does reach the database and the config.
    expect(loaded).toContain("db/status-storage.ts");
    expect(loaded).toContain("config/load.ts");
  });
});
