import { existsSync } from "node:fs";
import type { Settings } from "../config/load.ts";

/**
 * What a service runs, independent of the service manager: the daemon command line (the absolute
 * path of the running executable and the config, database and ledger this command was given) and
 * the PATH the agent CLI is looked up on.
 */
export interface ServiceSpec {
  /** argv of the daemon: the executable first, every path absolute. */
  argv: string[];
  /** PATH for the service, so it finds the same agent CLI as the shell that installed it. */
  path: string;
  ledger: string;
  /** Who wrote the unit, for its header comment. */
  version: string;
}

/** The running program: a compiled executable, or `bun src/main.ts` when run from source. */
export interface RunningProgram {
  execPath: string;
  /** The script Bun runs (absolute); null for a compiled executable. */
  script: string | null;
}

/** Bun.main of a compiled executable lives in Bun's embedded file system. */
export function runningProgram(execPath: string, main: string): RunningProgram {
  return { execPath, script: main.startsWith("/$bunfs/") ? null : main };
}

export function serviceSpec(
  settings: Settings,
  ledger: string,
  program: RunningProgram,
  version: string,
): ServiceSpec {
  const argv = [program.execPath, ...(program.script ? [program.script] : []), "daemon"];
  argv.push("--ledger", ledger, "--db", settings.paths.db);
  // A config file that does not exist yet is not passed: naming it would make it required.
  if (settings.paths.configExplicit || existsSync(settings.paths.config)) {
    argv.push("--config", settings.paths.config);
  }
  return { argv, path: settings.env.path, ledger, version };
}
