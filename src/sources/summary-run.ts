import { isWithin } from "../handlers/session-finalize/paths.ts";
import { SUMMARY_SYSTEM_PROMPT } from "../handlers/session-finalize/prompt.ts";
import { type ConvertedSession, textOf } from "./imported-session.ts";

/** Set in the environment of every summary run; a transcript that mentions it is ours. */
export const SUMMARY_RUN_MARKER = "AGENTWORK_SUMMARY_RUN";
const PROMPT_FIRST_LINE = SUMMARY_SYSTEM_PROMPT.split("\n")[0] ?? SUMMARY_SYSTEM_PROMPT;
/** Only the start of a session is looked at: the marker or prompt sits in the first turns. */
const HEAD_ENTRIES = 5;

/**
 * agentwork's own summary runs are never imported. They run with persistence off in a private
 * dir under the state dir, so normally no transcript exists; one that does anyway (an older CLI,
 * a changed flag) is recognised by its working dir or by our system prompt / marker in its start.
 */
export function isSummaryRun(session: ConvertedSession, stateDir: string): boolean {
  if (session.project !== null && isWithin(stateDir, session.project)) return true;
  for (const entry of session.entries.slice(0, HEAD_ENTRIES)) {
    const text = textOf(entry.content);
    if (text.includes(SUMMARY_RUN_MARKER) || text.includes(PROMPT_FIRST_LINE)) return true;
  }
  return false;
}
