import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../core/errors.ts";
import type { Summary } from "./summary.ts";
import { validateSummary } from "./summary-parser.ts";

/** Parsed replies kept until their artifacts are written, by session name. */
export interface ReplyStash {
  get(name: string): Summary | null;
  set(name: string, summary: Summary): void;
  delete(name: string): void;
}

/** How much of a reply that is not a summary is kept with the attempt's error. */
export const KEPT_REPLY_CHARS = 2000;

/**
 * A reply that is no summary (prose, empty, cut off) fails the attempt and is retried; after the
 * last attempt the item fails with this code. The reply's start is kept in the error, so a
 * person can see what the model said.
 */
export function replyNotASummary(name: string, output: string): AgentworkError {
  const trimmed = output.trim();
  const what =
    trimmed === ""
      ? "an empty reply"
      : `a reply that is not a summary JSON object (${trimmed.length} chars): ${trimmed.slice(0, KEPT_REPLY_CHARS)}${trimmed.length > KEPT_REPLY_CHARS ? " […]" : ""}`;
  return new AgentworkError("E_AGENT_BAD_REPLY", `session ${name}: the agent gave ${what}`, {
    retry: "retry",
  });
}

/** The session's summary.json when it holds a valid summary (a title at least), else null. */
export function existingSummary(sessionDir: string): Summary | null {
  let text: string;
  try {
    text = readFileSync(join(sessionDir, "summary.json"), "utf8");
  } catch {
    return null;
  }
  try {
    return validateSummary(JSON.parse(text));
  } catch {
    return null;
  }
}

/** A stash kept in any key/value store (the daemon uses SQLite's worker_state). */
export function keyValueReplyStash(store: {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}): ReplyStash {
  const key = (name: string) => `session-finalize:reply:${name}`;
  return {
    get: (name) => validateSummary(store.get(key(name))),
    set: (name, summary) => store.set(key(name), summary),
    delete: (name) => store.delete(key(name)),
  };
}
