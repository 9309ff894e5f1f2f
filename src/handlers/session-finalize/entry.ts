/**
 * One transcript entry of raw.jsonl, normalised: type aliases mapped, `ts`/`timestamp` merged,
 * fields nested under `data` (legacy writers) lifted, non-string content flattened to text.
 */
export type EntryRole = "user" | "assistant" | "tool" | "tool_result" | "system" | "other";

export interface SessionEntry {
  /** 1-based position among entries (header and footer excluded); anchors use it. */
  index: number;
  /** The type as written, for display of unknown kinds. */
  type: string;
  role: EntryRole;
  content: string;
  seq?: number;
  timestamp?: string;
  toolName?: string;
  /** Usually a JSON-encoded object of the tool arguments. */
  toolInput?: string;
  toolOutput?: string;
}

const ROLE_ALIASES: Record<string, EntryRole> = {
  user: "user",
  human: "user",
  assistant: "assistant",
  ai: "assistant",
  model: "assistant",
  message: "assistant",
  tool: "tool",
  tool_use: "tool",
  tool_call: "tool",
  tool_result: "tool_result",
  tool_output: "tool_result",
  system: "system",
};

export function roleOf(type: string): EntryRole {
  return ROLE_ALIASES[type.toLowerCase()] ?? "other";
}

/** Text of a string, of Claude-style content blocks, or JSON of anything else. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const block of value) {
      if (typeof block === "string") parts.push(block);
      else if (
        block &&
        typeof block === "object" &&
        typeof (block as { text?: unknown }).text === "string"
      )
        parts.push((block as { text: string }).text);
      else parts.push(JSON.stringify(block));
    }
    return parts.join("\n");
  }
  return JSON.stringify(value);
}

function optText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = textOf(value);
  return text.length > 0 ? text : undefined;
}

export function normalizeEntry(obj: Record<string, unknown>, index: number): SessionEntry {
  const data =
    obj.data && typeof obj.data === "object" && !Array.isArray(obj.data)
      ? (obj.data as Record<string, unknown>)
      : undefined;
  const pick = (key: string): unknown => obj[key] ?? data?.[key];
  const type =
    typeof obj.type === "string" ? obj.type : typeof data?.type === "string" ? data.type : "";
  const entry: SessionEntry = {
    index,
    type,
    role: roleOf(type),
    content: textOf(pick("content") ?? pick("text") ?? pick("message")),
  };
  const seq = pick("seq");
  if (typeof seq === "number" && Number.isFinite(seq)) entry.seq = seq;
  const ts = pick("timestamp") ?? pick("ts");
  if (typeof ts === "string" && ts.length > 0) entry.timestamp = ts;
  const toolName = pick("tool_name");
  if (typeof toolName === "string" && toolName.length > 0) entry.toolName = toolName;
  const toolInput = optText(pick("tool_input"));
  if (toolInput !== undefined) entry.toolInput = toolInput;
  const toolOutput = optText(pick("tool_output"));
  if (toolOutput !== undefined) entry.toolOutput = toolOutput;
  return entry;
}

// Several renderers look at the same call's arguments; parse each tool_input once.
const argsCache = new WeakMap<SessionEntry, Record<string, unknown>>();

/** Parsed tool arguments, or an empty object when tool_input is absent or not JSON. */
export function toolArgs(entry: SessionEntry): Record<string, unknown> {
  if (!entry.toolInput) return {};
  const cached = argsCache.get(entry);
  if (cached) return cached;
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(entry.toolInput);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      args = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: shown as written, no arguments to read.
  }
  argsCache.set(entry, args);
  return args;
}
