import {
  asRecord,
  type ConvertedSession,
  emptySession,
  IMAGE_PLACEHOLDER,
  noteSession,
  type RawEntry,
  str,
} from "./imported-session.ts";

/**
 * A Codex rollout (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`: `{timestamp, type, payload}`
 * lines) → ledger entries. `response_item`s carry the dialogue and tool calls; `compacted` the
 * compaction summaries; `event_msg` errors are kept, its other events repeat response items.
 * Developer/system messages and the injected environment context are left out.
 */
const INJECTED = ["<environment_context>", "<user_instructions>", "# AGENTS.md instructions"];

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const raw of content) {
    const part = asRecord(raw);
    if (!part) continue;
    if (part.type === "input_image" || part.type === "image") parts.push(IMAGE_PLACEHOLDER);
    else if (typeof part.text === "string") parts.push(part.text);
  }
  return parts.join("\n");
}

function outputText(output: unknown): { text: string; failed: boolean } {
  if (typeof output === "string") {
    // exec outputs are often JSON: {"output": "...", "metadata": {"exit_code": 1}}.
    try {
      const parsed = asRecord(JSON.parse(output));
      const code = asRecord(parsed?.metadata)?.exit_code;
      if (parsed && typeof parsed.output === "string")
        return { text: parsed.output, failed: typeof code === "number" && code !== 0 };
    } catch {
      // Plain text.
    }
    return { text: output, failed: false };
  }
  const obj = asRecord(output);
  if (obj) return { text: contentText(obj.content), failed: obj.success === false };
  return { text: contentText(output), failed: false };
}

function onItem(
  item: Record<string, unknown>,
  at: { timestamp?: string },
  entries: RawEntry[],
  calls: Map<string, RawEntry>,
): void {
  const kind = str(item.type);
  if (kind === "message") {
    const role = str(item.role);
    if (role !== "user" && role !== "assistant") return;
    const text = contentText(item.content);
    if (text.trim() === "" || INJECTED.some((p) => text.trimStart().startsWith(p))) return;
    entries.push({ type: role, content: text, ...at });
  } else if (
    kind === "function_call" ||
    kind === "custom_tool_call" ||
    kind === "local_shell_call"
  ) {
    const input =
      kind === "function_call"
        ? str(item.arguments)
        : kind === "custom_tool_call"
          ? JSON.stringify({ input: str(item.input) })
          : JSON.stringify(asRecord(item.action) ?? {});
    const call: RawEntry = {
      type: "tool",
      content: "",
      ...at,
      tool_name: kind === "local_shell_call" ? "shell" : str(item.name),
      tool_input: input,
    };
    entries.push(call);
    const id = str(item.call_id) || str(item.id);
    if (id) calls.set(id, call);
  } else if (kind === "function_call_output" || kind === "custom_tool_call_output") {
    const { text, failed } = outputText(item.output);
    const call = calls.get(str(item.call_id));
    const target = call ?? { type: "tool" as const, content: "", ...at };
    target.tool_output = text;
    if (failed) target.is_error = true;
    if (!call) entries.push(target);
  } else if (kind === "web_search_call") {
    entries.push({
      type: "tool",
      content: "",
      ...at,
      tool_name: "web_search",
      tool_input: JSON.stringify(asRecord(item.action) ?? {}),
    });
  }
}

export function convertCodex(records: Record<string, unknown>[]): ConvertedSession {
  const session = emptySession();
  const calls = new Map<string, RawEntry>();
  for (const record of records) {
    const timestamp = str(record.timestamp) || undefined;
    const at = timestamp ? { timestamp } : {};
    const payload = asRecord(record.payload) ?? {};
    const type = str(record.type);
    if (type === "session_meta") {
      const meta = asRecord(payload.meta) ?? payload;
      noteSession(session, {
        timestamp: meta.timestamp ?? timestamp,
        sessionId: meta.id,
        project: meta.cwd,
        version: meta.cli_version,
      });
    } else if (type === "turn_context") {
      noteSession(session, { timestamp, project: payload.cwd, model: payload.model });
    } else if (type === "response_item") {
      noteSession(session, { timestamp });
      onItem(payload, at, session.entries, calls);
    } else if (type === "compacted") {
      session.entries.push({
        type: "system",
        content: `[compaction summary]\n${str(payload.message)}`,
        ...at,
      });
    } else if (type === "event_msg" && str(payload.type) === "error") {
      session.entries.push({ type: "system", content: `[error] ${str(payload.message)}`, ...at });
    }
  }
  return session;
}
