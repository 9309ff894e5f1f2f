import type { AgentType } from "../config/config.ts";
import { AGENT_BINARIES, type BinaryLookup, findAgentBinary } from "./agent-binary.ts";
import type { AgentCheck } from "./runner.ts";
import { AGENT_ORDER, type AgentChoice, selectAgent } from "./select-agent.ts";

export interface ChoiceInputs extends BinaryLookup {
  agentType: AgentType;
}

/**
 * Which agent runs right now and why: binary lookups and login files only, no runner code and
 * no process (so `status` can answer without loading the runners).
 */
export function currentAgentChoice(inputs: ChoiceInputs): AgentChoice {
  const env = inputs.env ?? {};
  return selectAgent({
    configured: inputs.agentType,
    agentBin: inputs.agentBin ?? null,
    env,
    home: inputs.home ?? env.HOME ?? "",
    binaryOf: (agent) => findAgentBinary(AGENT_BINARIES[agent], inputs),
  });
}

/** The check when no agent was chosen: nothing to probe, the reasons say why. */
export function noAgentCheck(choice: AgentChoice): AgentCheck {
  const why = AGENT_ORDER.map((a) => `${a}: ${choice.notChosen[a] ?? "?"}`).join("; ");
  return {
    agentType: "none",
    bin: null,
    version: null,
    problem: `${choice.reason} (${why})`,
    reason: choice.reason,
    notChosen: { ...choice.notChosen },
  };
}
