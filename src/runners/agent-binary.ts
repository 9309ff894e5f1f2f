import type { AgentName } from "../config/config.ts";
import {
  CLAUDE_ABSOLUTE_LOCATIONS,
  CLAUDE_HOME_LOCATIONS,
  resolveBinary,
} from "./resolve-binary.ts";

/** Where an agent's binary is looked for after the configured one and PATH. */
export interface AgentBinarySpec {
  name: string;
  homeLocations: readonly string[];
  absoluteLocations: readonly string[];
}

/**
 * Each agent's executable and install locations. Kept apart from the runners so choosing an
 * agent (status, doctor, `auto`) costs a few stats and loads no runner code.
 */
export const AGENT_BINARIES: Record<AgentName, AgentBinarySpec> = {
  claude: {
    name: "claude",
    homeLocations: CLAUDE_HOME_LOCATIONS,
    absoluteLocations: CLAUDE_ABSOLUTE_LOCATIONS,
  },
  // Where npm and the standalone installer put `codex`.
  codex: {
    name: "codex",
    homeLocations: [".npm-global/bin", ".local/bin", ".codex/bin"],
    absoluteLocations: ["/usr/local/bin"],
  },
  gemini: {
    name: "gemini",
    homeLocations: [".npm-global/bin", ".local/bin"],
    absoluteLocations: ["/usr/local/bin"],
  },
};

/** The settings a binary lookup depends on (PATH and HOME come from the environment snapshot). */
export interface BinaryLookup {
  agentBin?: string | null;
  path?: string;
  home?: string;
  env?: Record<string, string | undefined>;
}

/** The binary a run of `spec`'s agent would use right now, or null when none is installed. */
export function findAgentBinary(spec: AgentBinarySpec, lookup: BinaryLookup): string | null {
  return resolveBinary({
    name: spec.name,
    configured: lookup.agentBin,
    path: lookup.path ?? lookup.env?.PATH,
    home: lookup.home ?? lookup.env?.HOME,
    homeLocations: spec.homeLocations,
    absoluteLocations: spec.absoluteLocations,
  });
}
