import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Where agentwork keeps its files. Every path is absolute. */
export interface SettingsPaths {
  db: string;
  /** The YAML file that is (or would be) read. */
  config: string;
  /** True when --config or AGENTWORK_CONFIG named the file: then a missing file is an error. */
  configExplicit: boolean;
  /** The ledger repository; null when neither --ledger nor AGENTWORK_LEDGER was given. */
  ledger: string | null;
  /** Beside the database, so one socket belongs to exactly one database. */
  socket: string;
  /** The directory holding the database (and the socket). */
  stateDir: string;
}

/** `~` and `~/x` become paths under home; anything else is resolved against base. */
export function expandPath(value: string, base: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return join(home, value.slice(2));
  return isAbsolute(value) ? resolve(value) : resolve(base, value);
}

export interface PathInputs {
  db: string | undefined;
  config: string | undefined;
  ledger: string | undefined;
  xdgStateHome: string | undefined;
  xdgConfigHome: string | undefined;
  home: string;
  cwd: string;
}

export function resolvePaths(input: PathInputs): SettingsPaths {
  const { cwd, home } = input;
  // The XDG spec says a relative XDG_* value is invalid and must be ignored.
  const xdg = (value: string | undefined, fallback: string) =>
    value && isAbsolute(value) ? value : join(home, fallback);
  const db = input.db
    ? expandPath(input.db, cwd, home)
    : join(xdg(input.xdgStateHome, ".local/state"), "agentwork", "agentwork.db");
  const config = input.config
    ? expandPath(input.config, cwd, home)
    : join(xdg(input.xdgConfigHome, ".config"), "agentwork", "config.yaml");
  return {
    db,
    config,
    configExplicit: Boolean(input.config),
    ledger: input.ledger ? expandPath(input.ledger, cwd, home) : null,
    socket: `${db}.sock`,
    stateDir: dirname(db),
  };
}

/**
 * Creates a directory (and parents) readable only by the owner. An existing directory keeps its
 * mode: it may be one the user chose and shares on purpose.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
