import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export interface ResolveBinaryOptions {
  /** The executable's file name, e.g. "claude". */
  name: string;
  /**
   * A configured binary (agent_bin / AGENTWORK_AGENT_BIN): a path when it contains "/", else a
   * name looked up on PATH. Tried first; when it does not resolve the search goes on, so a stale
   * setting degrades to the usual lookup instead of a dead worker.
   */
  configured?: string | null;
  /** The PATH value to search (the caller's, never read from process.env here). */
  path?: string;
  /** Home directory for the usual per-user install locations. */
  home?: string;
  /** Install locations relative to home, tried after PATH. */
  homeLocations?: readonly string[];
  /** Absolute install locations, tried after the home ones. */
  absoluteLocations?: readonly string[];
}

/** Where installers put Claude Code (SDK-PY `_find_cli()` order, after PATH). */
export const CLAUDE_HOME_LOCATIONS = [
  ".npm-global/bin",
  ".local/bin",
  "node_modules/.bin",
  ".yarn/bin",
  ".claude/local",
] as const;
export const CLAUDE_ABSOLUTE_LOCATIONS = ["/usr/local/bin"] as const;

/**
 * Finds an executable right now; null when there is none. Cheap (a few stats), so callers
 * re-resolve on every availability check instead of caching a path that may have gone away.
 */
export function resolveBinary(options: ResolveBinaryOptions): string | null {
  const configured = options.configured?.trim();
  if (configured) {
    const found = configured.includes("/")
      ? executable(configured)
      : searchPath(configured, options.path);
    if (found !== null) return found;
  }
  const onPath = searchPath(options.name, options.path);
  if (onPath !== null) return onPath;
  // SDK-PY order: ~/.npm-global/bin, /usr/local/bin, then the other home locations.
  const candidates: string[] = [];
  const home = options.home;
  const homeLocations = options.homeLocations ?? [];
  if (home && homeLocations[0] !== undefined) candidates.push(join(home, homeLocations[0]));
  candidates.push(...(options.absoluteLocations ?? []));
  if (home) for (const dir of homeLocations.slice(1)) candidates.push(join(home, dir));
  for (const dir of candidates) {
    const found = executable(join(dir, options.name));
    if (found !== null) return found;
  }
  return null;
}

function searchPath(name: string, path: string | undefined): string | null {
  if (!path) return null;
  for (const dir of path.split(delimiter)) {
    // An empty or relative PATH entry would depend on our cwd, which is not the agent's.
    if (dir === "" || !isAbsolute(dir)) continue;
    const found = executable(join(dir, name));
    if (found !== null) return found;
  }
  return null;
}

function executable(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return null;
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return null;
  }
}
