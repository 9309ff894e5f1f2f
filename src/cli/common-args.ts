import type { ArgsDef } from "citty";

/** Flags every command accepts (before or after the command name). */
export const globalArgs = {
  db: {
    type: "string",
    description: "Database file (env AGENTWORK_DB; default $XDG_STATE_HOME/agentwork/agentwork.db)",
  },
  config: {
    type: "string",
    description:
      "Config file (env AGENTWORK_CONFIG; default $XDG_CONFIG_HOME/agentwork/config.yaml)",
  },
  ledger: { type: "string", description: "Ledger directory (env AGENTWORK_LEDGER)" },
  verbose: { type: "boolean", description: "Debug logging" },
  quiet: { type: "boolean", description: "Only warnings and errors" },
} as const satisfies ArgsDef;

export const jsonArg = {
  json: { type: "boolean", description: "Print JSON" },
} as const satisfies ArgsDef;

export interface GlobalArgValues {
  db?: string;
  config?: string;
  ledger?: string;
  verbose?: boolean;
  quiet?: boolean;
}

/** Root-level flags (`agentwork --db X status`) are kept here for the subcommand to merge. */
let rootArgs: GlobalArgValues = {};

export function rememberRootArgs(values: GlobalArgValues): void {
  rootArgs = values;
}

export function mergedGlobals(values: GlobalArgValues): GlobalArgValues {
  return {
    db: values.db ?? rootArgs.db,
    config: values.config ?? rootArgs.config,
    ledger: values.ledger ?? rootArgs.ledger,
    verbose: values.verbose || rootArgs.verbose,
    quiet: values.quiet || rootArgs.quiet,
  };
}
