import {
  asRecord,
  type ConvertedSession,
  emptySession,
  IMAGE_PLACEHOLDER,
  noteSession,
  type RawEntry,
  str,
} from "./imported-session.ts";
import { mergeByTime } from "./merge-entries.ts";

/**
 * A Gemini CLI chat (`~/.gemini/tmp/<project>/chats/session-*.json`, one document with
 * `messages`, or since 0.3x `session-*.jsonl`: a metadata line, message lines where a later line
 * with the same id replaces the earlier one, `$set` updates and `$rewindTo` cuts) → entries.
 * Subagent chats (`chats/<session id>/*.jsonl`) are folded in by time.
 */
function partsText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const raw of content) {
    const part = asRecord(raw);
    if (!part) continue;
    if (typeof part.text === "string") parts.push(part.text);
    else if (part.inlineData || part.fileData) parts.push(IMAGE_PLACEHOLDER);
    else if (part.functionResponse) {
      const response = asRecord(asRecord(part.functionResponse)?.response);
      const out = response?.output ?? response?.error ?? response;
      parts.push(typeof out === "string" ? out : JSON.stringify(out ?? {}));
    }
  }
  return parts.join("\n");
}

/** The messages of a chat after replacements and rewinds, with the metadata seen. */
function messagesOf(records: Record<string, unknown>[]): {
  meta: Record<string, unknown>;
  messages: Record<string, unknown>[];
} {
  const meta: Record<string, unknown> = {};
  const byId = new Map<string, Record<string, unknown>>();
  let anonymous = 0;
  const putAll = (list: unknown[]) => {
    for (const m of list) {
      const msg = asRecord(m);
      if (msg) byId.set(str(msg.id) || `#${anonymous++}`, msg);
    }
  };
  for (const record of records) {
    if (Array.isArray(record.messages)) {
      Object.assign(meta, record);
      putAll(record.messages);
    } else if (typeof record.$rewindTo === "string") {
      let cut = false;
      for (const id of [...byId.keys()]) {
        if (id === record.$rewindTo) cut = true;
        if (cut) byId.delete(id);
      }
    } else if (asRecord(record.$set)) {
      const set = asRecord(record.$set) ?? {};
      // `$set: {messages: [...]}` replaces the whole list (0.61 seeds the session context so).
      if (Array.isArray(set.messages)) {
        byId.clear();
        putAll(set.messages);
      }
      const { messages: _replaced, ...rest } = set;
      Object.assign(meta, rest);
    } else if (typeof record.type === "string" && record.type !== "") {
      const id = str(record.id) || `#${anonymous++}`;
      byId.delete(id);
      byId.set(id, record);
    } else if (typeof record.sessionId === "string") {
      Object.assign(meta, record);
    }
  }
  return { meta, messages: [...byId.values()] };
}

function convertMessages(messages: Record<string, unknown>[], subagent?: string): RawEntry[] {
  const entries: RawEntry[] = [];
  const tag = subagent ? { subagent } : {};
  for (const msg of messages) {
    const timestamp = str(msg.timestamp) || undefined;
    const at = timestamp ? { timestamp } : {};
    const type = str(msg.type);
    const text = partsText(msg.content);
    // The CLI's own context preamble (date, OS, folder listing) is not something the user said.
    if (type === "user" && text.trimStart().startsWith("<session_context>")) continue;
    if (type === "user" && text.trim() !== "")
      entries.push({ type: "user", content: text, ...at, ...tag });
    else if (type === "gemini") {
      if (text.trim() !== "") entries.push({ type: "assistant", content: text, ...at, ...tag });
      for (const raw of Array.isArray(msg.toolCalls) ? msg.toolCalls : []) {
        const call = asRecord(raw);
        if (!call) continue;
        const entry: RawEntry = {
          type: "tool",
          content: "",
          timestamp: str(call.timestamp) || timestamp,
          tool_name: str(call.name),
          tool_input: JSON.stringify(call.args ?? {}),
          tool_output: partsText(call.result) || str(call.resultDisplay),
          ...tag,
        };
        if (!entry.timestamp) delete entry.timestamp;
        if (call.status === "error" || call.status === "cancelled") entry.is_error = true;
        entries.push(entry);
      }
    } else if ((type === "error" || type === "warning" || type === "info") && text.trim() !== "") {
      entries.push({ type: "system", content: `[${type}] ${text}`, ...at, ...tag });
    }
  }
  return entries;
}

export function convertGemini(
  main: Record<string, unknown>[],
  subagents: { id: string; records: Record<string, unknown>[] }[] = [],
): ConvertedSession {
  const session = emptySession();
  const { meta, messages } = messagesOf(main);
  noteSession(session, {
    timestamp: meta.startTime ?? messages[0]?.timestamp,
    sessionId: meta.sessionId,
  });
  for (const msg of messages) if (str(msg.model)) noteSession(session, { model: msg.model });
  const dirs = Array.isArray(meta.directories) ? meta.directories : [];
  if (typeof dirs[0] === "string") noteSession(session, { project: dirs[0] });
  const lists = [convertMessages(messages)];
  for (const sub of subagents)
    lists.push(convertMessages(messagesOf(sub.records).messages, sub.id));
  session.entries = mergeByTime(lists);
  return session;
}
