import { count, record } from "./codex-events.ts";
import { readJsonLine } from "./json-line.ts";

/**
 * Parses `gemini -p --output-format stream-json` (agent-cli-formats.md §3.2) by key: assistant
 * `message` deltas concatenated in order are the answer, `result` carries status, error and
 * per-model token counts, `error` events with severity "error" are the best failure detail.
 */
export interface GeminiModelTokens {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

export interface GeminiResult {
  status: "success" | "error";
  errorType: string | null;
  errorMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  models: Record<string, GeminiModelTokens>;
}

/** A retry notice Gemini prints on stderr while it backs off. */
export interface GeminiRetry {
  attempt: number;
  status: number | null;
  message: string;
  delayMs: number | null;
}

// "Attempt 2 failed with status 500. Retrying with backoff... _ApiError: {…}" and
// "Attempt 3 failed: Quota exceeded … Please retry in 2s.. Retrying after 22582ms..."
// "Attempt 3 failed: {…}. Max attempts reached" ends one round; Gemini may start another.
const RETRY_LINE =
  /^Attempt (\d+) failed(?: with status (\d{3}))?[.:]\s*(.*?)(?:\.?\s*(?:Retrying (?:after (\d+)ms|with backoff)|Max attempts reached)\.*)\s*(.*)$/;

export class GeminiStreamParser {
  lastRetry: GeminiRetry | null = null;
  /** Retry notices seen in all (Gemini counts attempts per round and may start a new round). */
  retryNotices = 0;
  sessionId: string | null = null;
  model: string | null = null;
  result: GeminiResult | null = null;
  lastError: string | null = null;
  malformedLines = 0;
  private readonly parts: string[] = [];

  /** Feeds one line; returns true for the terminal `result` event. */
  push(line: string): boolean {
    const event = readJsonLine(line);
    if (event === "blank") return false;
    if (event === "malformed") {
      this.malformedLines++;
      return false;
    }
    switch (event.type) {
      case "init":
        if (typeof event.session_id === "string") this.sessionId = event.session_id;
        if (typeof event.model === "string") this.model = event.model;
        return false;
      case "message":
        if (event.role === "assistant" && typeof event.content === "string") {
          // A non-delta assistant message is the whole text so far.
          if (event.delta !== true) this.parts.length = 0;
          this.parts.push(event.content);
        }
        return false;
      case "error":
        if (event.severity === "error" && typeof event.message === "string") {
          this.lastError = event.message;
        }
        return false;
      case "result":
        this.result = readResult(event);
        return true;
      default:
        return false;
    }
  }

  /** Feeds one stderr line; returns true for a retry notice. */
  pushStderr(line: string): boolean {
    const match = RETRY_LINE.exec(line.trim());
    if (!match) return false;
    const [, attempt, status, before, delay, after] = match;
    this.retryNotices++;
    this.lastRetry = {
      attempt: Number(attempt),
      status: status ? Number(status) : null,
      message: [before, after].filter(Boolean).join(" ").trim(),
      delayMs: delay ? Number(delay) : null,
    };
    return true;
  }

  text(): string {
    return this.parts.join("");
  }
}

function readResult(event: Record<string, unknown>): GeminiResult {
  const error = record(event.error);
  const stats = record(event.stats);
  const models: Record<string, GeminiModelTokens> = {};
  for (const [name, value] of Object.entries(record(stats?.models) ?? {})) {
    const m = record(value);
    models[name] = {
      inputTokens: count(m?.input_tokens),
      outputTokens: count(m?.output_tokens),
      cachedTokens: count(m?.cached),
    };
  }
  return {
    status: event.status === "success" ? "success" : "error",
    errorType: typeof error?.type === "string" ? error.type : null,
    errorMessage: typeof error?.message === "string" ? error.message : null,
    inputTokens: count(stats?.input_tokens),
    outputTokens: count(stats?.output_tokens),
    cachedTokens: count(stats?.cached),
    models,
  };
}
