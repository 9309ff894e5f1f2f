/**
 * Pure reader of Claude Code's `--output-format stream-json` lines (agent-cli-formats.md §1.2).
 * - Parse by key, never by position; unknown event types and fields are ignored.
 * - The last `result` line wins (upstream §5.4).
 * - Malformed lines are counted and skipped; a later result makes them irrelevant.
 * - `system/api_retry` lines are surfaced so the runner can stop early on an auth failure.
 */
import { parseResetsAtField } from "./usage-limit.ts";

export interface ClaudeUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ClaudeResult {
  subtype: string | null;
  /** The real success flag; API and auth failures arrive as subtype "success" with is_error. */
  isError: boolean;
  /** `result` when it is a string; error subtypes often omit it. */
  text: string | null;
  usage: ClaudeUsage | null;
  costUsd: number | null;
  sessionId: string | null;
  numTurns: number | null;
  durationMs: number | null;
  errors: string[];
  apiErrorStatus: number | null;
  terminalReason: string | null;
}

export interface ClaudeApiRetry {
  attempt: number | null;
  maxRetries: number | null;
  /** HTTP status of the failed call; null when no response came (connection refused). */
  status: number | null;
  /** "authentication_failed", "rate_limit", "overloaded", "server_error", "unknown", … */
  error: string | null;
  retryDelayMs: number | null;
}

export type ClaudeLine =
  | { kind: "result"; result: ClaudeResult }
  | { kind: "api_retry"; retry: ClaudeApiRetry }
  | { kind: "other" }
  | { kind: "malformed"; error: string };

type Json = Record<string, unknown>;

/** Accumulates what the runner needs from a stream, one line at a time. */
export class ClaudeStreamParser {
  result: ClaudeResult | null = null;
  /** From system/init, replaced by the result's session id when there is one. */
  sessionId: string | null = null;
  model: string | null = null;
  /** Text of the last top-level assistant message: the fallback when a result has no `result`. */
  lastAssistantText: string | null = null;
  /** The last top-level `error` code on an assistant line (e.g. "billing_error"). */
  lastAssistantError: string | null = null;
  lastApiRetry: ClaudeApiRetry | null = null;
  /** How many system/api_retry lines came: the CLI retries a short rate limit, not an account's. */
  apiRetries = 0;
  /** A `rate_limit_event` whose status was "rejected": the account's limit, with its reset. */
  rateLimitRejected: { resetsAtMs: number | null; limitType: string | null } | null = null;
  lastParseError: string | null = null;
  malformedLines = 0;

  push(line: string): ClaudeLine {
    const trimmed = line.trim();
    // Non-JSON noise ("[SandboxDebug] …") is skipped the way SDK-PY does, without counting.
    if (trimmed === "" || !trimmed.startsWith("{")) return { kind: "other" };
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch (error) {
      this.malformedLines++;
      this.lastParseError = error instanceof Error ? error.message : String(error);
      return { kind: "malformed", error: this.lastParseError };
    }
    if (!isObject(event)) return { kind: "other" };
    switch (event.type) {
      case "result": {
        const result = readResult(event);
        this.result = result;
        if (result.sessionId !== null) this.sessionId = result.sessionId;
        return { kind: "result", result };
      }
      case "system":
        if (event.subtype === "init") {
          this.sessionId = str(event.session_id) ?? this.sessionId;
          this.model = str(event.model) ?? this.model;
        } else if (event.subtype === "api_retry") {
          this.apiRetries++;
          this.lastApiRetry = readApiRetry(event);
          return { kind: "api_retry", retry: this.lastApiRetry };
        }
        return { kind: "other" };
      case "assistant":
        this.readAssistant(event);
        return { kind: "other" };
      case "rate_limit_event":
        this.readRateLimit(event);
        return { kind: "other" };
      default:
        return { kind: "other" };
    }
  }

  /** The agent's final text: the result's `result`, else the last assistant text, else "". */
  outputText(): string {
    return this.result?.text ?? this.lastAssistantText ?? "";
  }

  private readRateLimit(event: Json): void {
    const info = isObject(event.rate_limit_info) ? event.rate_limit_info : null;
    if (info === null || info.status !== "rejected") return;
    this.rateLimitRejected = {
      resetsAtMs: parseResetsAtField(info.resetsAt),
      limitType: str(info.rateLimitType),
    };
  }

  private readAssistant(event: Json): void {
    // Subagent traffic (parent_tool_use_id set) is not the answer to our prompt.
    if (event.parent_tool_use_id !== undefined && event.parent_tool_use_id !== null) return;
    const error = str(event.error);
    if (error !== null) this.lastAssistantError = error;
    const message = event.message;
    if (!isObject(message) || !Array.isArray(message.content)) return;
    const texts = message.content
      .filter((block): block is Json => isObject(block) && block.type === "text")
      .map((block) => str(block.text) ?? "");
    if (texts.length > 0) this.lastAssistantText = texts.join("");
  }
}

/** Parses a whole captured stream at once (tests, diagnostics). */
export function parseClaudeStream(text: string): ClaudeStreamParser {
  const parser = new ClaudeStreamParser();
  for (const line of text.split("\n")) parser.push(line);
  return parser;
}

function readResult(event: Json): ClaudeResult {
  const usage = isObject(event.usage) ? event.usage : null;
  const errors = Array.isArray(event.errors)
    ? event.errors.filter((e): e is string => typeof e === "string")
    : [];
  return {
    subtype: str(event.subtype),
    isError: event.is_error === true,
    text: str(event.result),
    usage:
      usage === null
        ? null
        : {
            inputTokens: num(usage.input_tokens) ?? 0,
            outputTokens: num(usage.output_tokens) ?? 0,
            cacheReadTokens: num(usage.cache_read_input_tokens) ?? 0,
            cacheWriteTokens: num(usage.cache_creation_input_tokens) ?? 0,
          },
    // Very old CLIs (~1.0.x) named the cost cost_usd or total_cost.
    costUsd: num(event.total_cost_usd) ?? num(event.cost_usd) ?? num(event.total_cost),
    sessionId: str(event.session_id),
    numTurns: num(event.num_turns),
    durationMs: num(event.duration_ms),
    errors,
    apiErrorStatus: num(event.api_error_status),
    terminalReason: str(event.terminal_reason),
  };
}

function readApiRetry(event: Json): ClaudeApiRetry {
  return {
    attempt: num(event.attempt),
    maxRetries: num(event.max_retries),
    status: num(event.error_status),
    error: str(event.error),
    // The CLI reports fractional milliseconds (e.g. 1181.6): times we store are whole.
    retryDelayMs: roundedOrNull(num(event.retry_delay_ms)),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function roundedOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
