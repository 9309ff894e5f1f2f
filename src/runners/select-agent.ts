import { basename } from "node:path";
import type { AgentName, AgentType } from "../config/config.ts";
import { agentLogin, type LoginContext } from "./agent-login.ts";

/** Auto-detection order (upstream agentPriority, plus Gemini). */
export const AGENT_ORDER: readonly AgentName[] = ["claude", "codex", "gemini"];

/** Which agent runs, why, and why each other one does not. */
export interface AgentChoice {
  /** null: agent_type auto found none installed and logged in. */
  agent: AgentName | null;
  reason: string;
  notChosen: Partial<Record<AgentName, string>>;
}

export interface SelectInputs extends LoginContext {
  configured: AgentType;
  agentBin: string | null;
  /** The binary each agent would use right now, or null when it is not installed. */
  binaryOf(agent: AgentName): string | null;
}

/**
 * agent_type claude|codex|gemini is taken as given. auto with agent_bin set runs the agent the
 * binary's name says (claude when it says none): naming a binary is a choice. Otherwise auto
 * takes the first agent that is installed and logged in, checked without spending tokens.
 */
export function selectAgent(inputs: SelectInputs): AgentChoice {
  if (inputs.configured !== "auto") {
    return explicit(inputs.configured, `agent_type is ${inputs.configured}`);
  }
  if (inputs.agentBin) {
    const named =
      AGENT_ORDER.find((a) => basename(inputs.agentBin ?? "").startsWith(a)) ?? "claude";
    return explicit(named, `agent_type auto and agent_bin ${inputs.agentBin}`);
  }
  const notChosen: Partial<Record<AgentName, string>> = {};
  let chosen: AgentChoice | null = null;
  for (const agent of AGENT_ORDER) {
    if (chosen) {
      notChosen[agent] = `${chosen.agent} comes first`;
      continue;
    }
    const bin = inputs.binaryOf(agent);
    if (bin === null) {
      notChosen[agent] = "not installed";
      continue;
    }
    const login = agentLogin(agent, inputs);
    if (!login.loggedIn) {
      notChosen[agent] = `installed (${bin}) but ${login.detail}`;
      continue;
    }
    chosen = { agent, reason: `auto: installed (${bin}), ${login.detail}`, notChosen };
  }
  return (
    chosen ?? { agent: null, reason: "auto: no agent CLI is installed and logged in", notChosen }
  );
}

function explicit(agent: AgentName, reason: string): AgentChoice {
  const notChosen: Partial<Record<AgentName, string>> = {};
  for (const other of AGENT_ORDER) if (other !== agent) notChosen[other] = reason;
  return { agent, reason, notChosen };
}
