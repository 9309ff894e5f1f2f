import type { SourceKind } from "../config/config.ts";

/**
 * A long string of a source line kept as the JSON text the source wrote it as
 * (`held-strings.ts`): copied into raw.jsonl as it is, decoded only when something reads it.
 */
export class SourceLiteral {
  private decoded: string | undefined;
  /** `json`: a JSON string literal, quotes included, without `\u` escapes. */
  constructor(readonly json: string) {}

  get value(): string {
    this.decoded ??= JSON.parse(this.json) as string;
    return this.decoded;
  }

  /** Whether the text is empty or white space, mostly without decoding it. */
  isBlank(): boolean {
    const first = this.json.charCodeAt(1);
    // Not white space, not an escape, not the closing quote: something visible comes first.
    if (first > 0x20 && first !== 0x5c && first !== 0x22 && first < 0x80) return false;
    return this.value.trim() === "";
  }
}

/** A text field of an entry: the text, or the source's literal of it. */
export type Text = string | SourceLiteral;

export function textOf(text: Text): string {
  return typeof text === "string" ? text : text.value;
}

/** One line of the ledger's raw.jsonl as an importer writes it (what `entry.ts` reads back). */
export interface RawEntry {
  type: "user" | "assistant" | "tool" | "system";
  content: Text;
  timestamp?: string;
  tool_name?: string;
  tool_input?: string;
  tool_output?: Text;
  /** Set on tool calls that failed. */
  is_error?: boolean;
  /** The subagent (Claude's Task agents, Gemini's subagents) that produced this entry. */
  subagent?: string;
}

/** A transcript converted into ledger form, before redaction. */
export interface ConvertedSession {
  /** ISO time of the first record; the session name starts with it. */
  startedAt: string | null;
  /** The CLI's own session id. */
  sessionId: string | null;
  /** The project directory the agent ran in, when the transcript says. */
  project: string | null;
  model: string | null;
  agentVersion: string | null;
  entries: RawEntry[];
}

/** One transcript found on disk by a source's discovery. */
export interface SourceFile {
  kind: SourceKind;
  /** Stable id of the transcript (the CLI's session id, or the file name without extension). */
  id: string;
  path: string;
  /** Files folded into this one (Claude's and Gemini's subagent transcripts). */
  parts: string[];
  /** Project directory, when known without reading the file (used by `source_projects`). */
  project: string | null;
  /** Sum of the sizes and latest mtime over `path` and `parts`. */
  size: number;
  mtimeMs: number;
}

/** The agent_type written into the header: the same names recorders use. */
export const AGENT_TYPE_OF: Record<SourceKind, string> = {
  claude: "claude-code",
  codex: "codex",
  gemini: "gemini-cli",
};

export const IMAGE_PLACEHOLDER = "[image omitted]";

export function emptySession(): ConvertedSession {
  return {
    startedAt: null,
    sessionId: null,
    project: null,
    model: null,
    agentVersion: null,
    entries: [],
  };
}

export const str = (v: unknown): string => (typeof v === "string" ? v : "");

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Records the first start time, session id, project, model and version a converter sees. */
export function noteSession(
  session: ConvertedSession,
  seen: {
    timestamp?: unknown;
    sessionId?: unknown;
    project?: unknown;
    model?: unknown;
    version?: unknown;
  },
): void {
  if (session.startedAt === null && str(seen.timestamp) !== "")
    session.startedAt = str(seen.timestamp);
  if (session.sessionId === null && str(seen.sessionId) !== "")
    session.sessionId = str(seen.sessionId);
  if (session.project === null && str(seen.project) !== "") session.project = str(seen.project);
  if (str(seen.model) !== "") session.model = str(seen.model);
  if (session.agentVersion === null && str(seen.version) !== "")
    session.agentVersion = str(seen.version);
}
