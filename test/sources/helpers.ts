import { cpSync, readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { type Config, DEFAULT_CONFIG } from "../../src/config/config.ts";
import type { Clock } from "../../src/core/clock.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { Redactor } from "../../src/core/redaction/redactor.ts";
import type { Timers } from "../../src/core/timers.ts";
import { SourceImporter, type SourceImportOptions } from "../../src/sources/import-pass.ts";
import { beingSummarized } from "../../src/sources/import-step.ts";
import { type SourceRoots, sourceRoots } from "../../src/sources/roots.ts";
import { plainLedger } from "../support/ledger.ts";
import { openTestStorage, type TestStorage } from "../support/storage.ts";
import { tempDir } from "../support/tmp.ts";

export const EXAMPLE_HOME = join(import.meta.dir, "../../examples/transcripts/home");
export const HOUR = 3_600_000;

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Sets a file's mtime (and atime) to `ms`. */
export function setMtime(path: string, ms: number): void {
  utimesSync(path, ms / 1000, ms / 1000);
}

/** A HOME holding the example transcripts of all three CLIs, all last written `ageMs` ago. */
export function exampleHome(nowMs: number, ageMs = 2 * HOUR): string {
  const home = join(tempDir("agentwork-sources-"), "home");
  cpSync(EXAMPLE_HOME, home, { recursive: true });
  for (const file of filesUnder(home)) setMtime(file, nowMs - ageMs);
  return home;
}

export interface ImportRig {
  home: string;
  ledger: string;
  sessions: string;
  storage: TestStorage;
  importer: SourceImporter;
  /** What `importer` was built with (another importer on the same storage: a restart). */
  options: SourceImportOptions;
  roots: SourceRoots;
  config: Config;
  stateDir: string;
  warnings: string[];
}

export function importRig(
  options: {
    home?: string;
    env?: Record<string, string>;
    config?: Partial<Config>;
    redactor?: Redactor;
    /** Threads for the import (`Parallel`; the default's worker starts at 16 files). */
    parallel?: SourceImportOptions["parallel"];
    /** The importer's own clock and timers (the storage keeps its test clock). */
    clock?: Clock;
    timers?: Timers;
  } = {},
): ImportRig {
  const storage = openTestStorage();
  const home = options.home ?? exampleHome(storage.clock.now());
  const { ledger, sessions } = plainLedger();
  const stateDir = join(tempDir("agentwork-state-"), "state");
  const warnings: string[] = [];
  const logger = silentLogger();
  logger.warn = ((msg: string) => {
    warnings.push(String(msg));
  }) as typeof logger.warn;
  const roots = sourceRoots({ path: "", home, base: { HOME: home, ...options.env } });
  const importerOptions: SourceImportOptions = {
    ledgerPath: ledger,
    roots,
    store: storage.sources,
    redactor: options.redactor ?? new Redactor(),
    clock: options.clock ?? storage.clock,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.parallel ? { parallel: options.parallel } : {}),
    logger,
    user: "dana",
    stateDir,
    isBeingSummarized: beingSummarized(storage),
  };
  const importer = new SourceImporter(importerOptions);
  const config: Config = {
    ...DEFAULT_CONFIG,
    sources: ["claude", "codex", "gemini"],
    ...options.config,
  };
  return {
    home,
    ledger,
    sessions,
    storage,
    importer,
    options: importerOptions,
    roots,
    config,
    stateDir,
    warnings,
  };
}

/** The parsed lines of a session's raw.jsonl. */
export function rawLines(sessions: string, name: string): Record<string, unknown>[] {
  return readFileSync(join(sessions, name, "raw.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function mtimeOf(path: string): number {
  return statSync(path).mtimeMs;
}
