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
 * Claude Code's project transcript (`~/.claude/projects/<project>/<uuid>.jsonl`) → ledger entries.
 * Kept: user and assistant text, tool calls with their results (errors marked), compaction
 * summaries, API error lines and, folded in by time, the turns of its subagents
 * (`<uuid>/subagents/agent-*.jsonl`, and sidechain lines of older versions). Dropped: thinking,
 * file snapshots, meta lines. Images become a placeholder.
 */
type Block = Record<string, unknown>;

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const raw of content) {
    const block = asRecord(raw);
    if (!block) continue;
    if (block.type === "text") parts.push(str(block.text));
    else if (block.type === "image") parts.push(IMAGE_PLACEHOLDER);
  }
  return parts.join("\n");
}

function convertRecords(
  records: Record<string, unknown>[],
  session: ConvertedSession,
  subagent: string | undefined,
): RawEntry[] {
  const entries: RawEntry[] = [];
  const calls = new Map<string, RawEntry>();
  const push = (entry: RawEntry, sidechain: boolean) => {
    const agent = subagent ?? (sidechain ? "sidechain" : undefined);
    entries.push(agent ? { ...entry, subagent: agent } : entry);
  };
  for (const record of records) {
    const type = str(record.type);
    const timestamp = str(record.timestamp) || undefined;
    const at = timestamp ? { timestamp } : {};
    const sidechain = record.isSidechain === true;
    const message = asRecord(record.message);
    if (type === "user" || type === "assistant") {
      if (!subagent && !sidechain) {
        noteSession(session, {
          timestamp,
          sessionId: record.sessionId,
          project: record.cwd,
          model: message?.model,
          version: record.version,
        });
      }
      if (record.isMeta === true) continue;
      const content = message?.content;
      const text = blockText(content);
      if (record.isCompactSummary === true) {
        push({ type: "system", content: `[compaction summary]\n${text}`, ...at }, sidechain);
        continue;
      }
      if (record.isApiErrorMessage === true) {
        push({ type: "system", content: `[error] ${text}`, ...at }, sidechain);
        continue;
      }
      if (text.trim() !== "") push({ type, content: text, ...at }, sidechain);
      for (const raw of Array.isArray(content) ? content : []) {
        const block = asRecord(raw) as Block | undefined;
        if (block?.type === "tool_use") {
          const call: RawEntry = {
            type: "tool",
            content: "",
            ...at,
            tool_name: str(block.name),
            tool_input: JSON.stringify(block.input ?? {}),
          };
          push(call, sidechain);
          const last = entries[entries.length - 1];
          if (typeof block.id === "string" && last) calls.set(block.id, last);
        } else if (block?.type === "tool_result") {
          const output = blockText(block.content);
          const call = calls.get(str(block.tool_use_id));
          if (call) {
            call.tool_output = output;
            if (block.is_error === true) call.is_error = true;
          } else {
            const orphan: RawEntry = { type: "tool", content: "", ...at, tool_output: output };
            if (block.is_error === true) orphan.is_error = true;
            push(orphan, sidechain);
          }
        }
      }
    } else if (type === "summary" && str(record.summary) !== "") {
      push({ type: "system", content: `[summary] ${str(record.summary)}` }, false);
    } else if (type === "system" && str(record.content) !== "") {
      const label = str(record.subtype) === "compact_boundary" ? "[compaction]" : "[system]";
      push({ type: "system", content: `${label} ${str(record.content)}`, ...at }, sidechain);
    }
  }
  return entries;
}

export function convertClaude(
  main: Record<string, unknown>[],
  subagents: { id: string; records: Record<string, unknown>[] }[] = [],
): ConvertedSession {
  const session = emptySession();
  const lists = [convertRecords(main, session, undefined)];
  for (const sub of subagents) lists.push(convertRecords(sub.records, session, sub.id));
  session.entries = mergeByTime(lists);
  return session;
}
