import { readJsonLine } from "./json-line.ts";
/**
 * Parses `codex exec --json` JSONL events (agent-cli-formats.md §2.2) by key, ignoring unknown
 * types: the last `agent_message` is the answer, `turn.completed.usage` the (cumulative) tokens,
 * `turn.failed` a failure even when the exit code is 0, and top-level `error` events (retry
 * notices such as "Reconnecting... 2/5") only the best detail for a failure.
 */
export interface CodexUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export class CodexEventParser {
  threadId: string | null = null;
  lastMessage: string | null = null;
  usage: CodexUsage | null = null;
  turnCompleted = false;
  turnFailed: string | null = null;
  lastError: string | null = null;
  malformedLines = 0;
  /** "Reconnecting... N/M (…)" notices seen: the CLI is retrying a failing API. */
  reconnects = 0;

  /** Feeds one line; returns true when it was a terminal event (turn.completed / turn.failed). */
  push(line: string): boolean {
    const event = readJsonLine(line);
    if (event === "blank") return false;
    if (event === "malformed") {
      this.malformedLines++;
      return false;
    }
    switch (event.type) {
      case "thread.started":
        if (typeof event.thread_id === "string") this.threadId = event.thread_id;
        return false;
      case "item.completed": {
        const item = record(event.item);
        if (item?.type === "agent_message" && typeof item.text === "string") {
          this.lastMessage = item.text;
        }
        return false;
      }
      case "turn.completed":
        this.turnCompleted = true;
        this.usage = readUsage(record(event.usage));
        return true;
      case "turn.failed":
        this.turnFailed = text(record(event.error)?.message) ?? "turn failed without a message";
        return true;
      case "error":
        this.lastError = text(event.message) ?? this.lastError;
        if (/^Reconnecting\.\.\./.test(this.lastError ?? "")) this.reconnects++;
        return false;
      default:
        return false;
    }
  }
}

function readUsage(usage: Record<string, unknown> | null): CodexUsage | null {
  if (usage === null) return null;
  return {
    inputTokens: count(usage.input_tokens),
    cachedInputTokens: count(usage.cached_input_tokens),
    outputTokens: count(usage.output_tokens),
  };
}

export function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}
