import { statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { AgentworkError } from "../core/errors.ts";
import { type Logger, silentLogger } from "../core/logger.ts";
import type { Config, ConfigLoader } from "./config.ts";
import { type RunnerEnvironment, snapshotRunnerEnvironment } from "./environment.ts";
import { readConfigFile } from "./file.ts";
import type { ParseContext } from "./keys.ts";
import { buildConfig, type RawEntry } from "./layers.ts";
import { expandPath, resolvePaths, type SettingsPaths } from "./paths.ts";

/**
 * The one place that reads process.env. Everything else receives the Settings built here, so a
 * test can construct any configuration without touching the real environment.
 */

/** Variables that name paths rather than config keys. */
const PATH_VARS = new Set(["AGENTWORK_DB", "AGENTWORK_CONFIG", "AGENTWORK_LEDGER"]);

export interface SettingsFlags {
  db?: string | undefined;
  config?: string | undefined;
  ledger?: string | undefined;
  /** Config keys given on the command line, by YAML name (`max_concurrent`); undefined = not given. */
  settings?: Readonly<Record<string, unknown>> | undefined;
}

export interface LoadSettingsOptions {
  flags?: SettingsFlags;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** A --config file that does not exist yet reads as empty (`init` writes it) instead of E_CONFIG. */
  configMayBeMissing?: boolean;
}

export interface Settings {
  config: Config;
  paths: SettingsPaths;
  env: RunnerEnvironment;
}

interface Sources {
  configPath: string;
  configExplicit: boolean;
  home: string;
  /** Env and flag layers: fixed for the life of the process, so parsed once. */
  fixed: RawEntry[][];
}

// Kept off the public Settings shape: only createConfigLoader needs to know how to re-read.
const sourcesOf = new WeakMap<Settings, Sources>();

/** Builds the settings for this process. Throws E_CONFIG (exit 2) on any bad input. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const flags = options.flags ?? {};
  const home = env.HOME || homedir();
  const paths = resolvePaths({
    db: flags.db || env.AGENTWORK_DB || undefined,
    config: flags.config || env.AGENTWORK_CONFIG || undefined,
    ledger: flags.ledger || env.AGENTWORK_LEDGER || undefined,
    xdgStateHome: env.XDG_STATE_HOME,
    xdgConfigHome: env.XDG_CONFIG_HOME,
    home,
    cwd,
  });
  const plainCtx = (separator: string | null): ParseContext => ({
    listSeparator: separator,
    resolvePath: (value) => expandPath(value, cwd, home),
  });
  const envLayer: RawEntry[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("AGENTWORK_") || PATH_VARS.has(name)) continue;
    // An empty variable is how people "unset" a value in a service file; treat it as absent.
    if (value === undefined || value === "") continue;
    envLayer.push({
      key: name.slice("AGENTWORK_".length).toLowerCase(),
      value,
      source: { kind: "env", name },
      ctx: plainCtx(":"),
    });
  }
  const flagLayer: RawEntry[] = [];
  for (const [key, value] of Object.entries(flags.settings ?? {})) {
    if (value === undefined) continue;
    flagLayer.push({
      key,
      value,
      source: { kind: "flag", name: `--${key.replaceAll("_", "-")}` },
      ctx: plainCtx(":"),
    });
  }
  const sources: Sources = {
    configPath: paths.config,
    configExplicit: paths.configExplicit && options.configMayBeMissing !== true,
    home,
    fixed: [envLayer, flagLayer],
  };
  const config = readConfig(sources);
  // `ledger:` in the file (written by `agentwork init`) when neither flag nor env names one.
  if (paths.ledger === null && config.ledger !== null) paths.ledger = config.ledger;
  const settings: Settings = {
    config,
    paths,
    env: snapshotRunnerEnvironment(env, home),
  };
  sourcesOf.set(settings, sources);
  return settings;
}

function readConfig(sources: Sources): Config {
  const fileDir = dirname(sources.configPath);
  const fileLayer: RawEntry[] = readConfigFile(sources.configPath, sources.configExplicit).map(
    (entry) => ({
      key: entry.key,
      value: entry.value,
      source: { kind: "file", path: sources.configPath, line: entry.line },
      // A relative scan_dirs entry means "next to this file", wherever the daemon was started.
      ctx: { listSeparator: null, resolvePath: (v) => expandPath(v, fileDir, sources.home) },
    }),
  );
  return buildConfig([fileLayer, ...sources.fixed]);
}

/**
 * A loader the scheduler calls on every pass: it re-reads the YAML file so edits apply without a
 * restart. A file that turns invalid mid-run keeps the last good config (with one warning per
 * distinct problem) instead of stopping a daemon that was working a moment ago.
 */
export function createConfigLoader(
  settings: Settings,
  logger: Logger = silentLogger(),
): ConfigLoader {
  const sources = sourcesOf.get(settings);
  if (!sources) throw new AgentworkError("E_INTERNAL", "settings were not built by loadSettings");
  let lastGood = settings.config;
  let lastProblem: string | null = null;
  return () => {
    try {
      lastGood = readConfig(sources);
      if (lastProblem !== null) logger.info(`config ${sources.configPath} is valid again`);
      lastProblem = null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastProblem) {
        logger.warn(`keeping the last good config: ${message}`);
        lastProblem = message;
      }
    }
    return lastGood;
  };
}

/** The ledger for commands that need one (the daemon); a clear usage error when it is missing. */
export function requireLedger(settings: Settings): string {
  if (settings.paths.ledger === null) {
    throw new AgentworkError(
      "E_USAGE",
      "no ledger given: pass --ledger DIR or set AGENTWORK_LEDGER to the ledger repository, or run `agentwork init`",
      { retry: "never" },
    );
  }
  const ledger = settings.paths.ledger;
  let isDir = false;
  try {
    isDir = statSync(ledger).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new AgentworkError("E_USAGE", `the ledger ${ledger} is not a directory`, {
      retry: "never",
    });
  }
  return ledger;
}
