/**
 * What an agent runner needs from the process environment, captured once at startup by the config
 * loader (the only module that reads process.env). Runners build each child's environment from
 * `base`, so agentwork's own settings never leak into an agent and tests can pass a fixed snapshot.
 */
export interface RunnerEnvironment {
  /** PATH as given to agentwork ("" when unset); used to look up the agent binary. */
  path: string;
  /** The user's home directory; the agent CLI keeps its login state under it. */
  home: string;
  /** The environment to start children with: everything except AGENTWORK_* variables. */
  base: Readonly<Record<string, string>>;
}

export function snapshotRunnerEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): RunnerEnvironment {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith("AGENTWORK_")) base[name] = value;
  }
  // AGENTWORK_AGENT_BIN is not kept here: the env layer turns it into Config.agentBin.
  return Object.freeze({
    path: env.PATH ?? "",
    home,
    base: Object.freeze(base),
  });
}
