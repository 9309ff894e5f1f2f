import { type HoldSpec, heldLiteral } from "./held-strings.ts";
import {
  asRecord,
  type ConvertedSession,
  emptySession,
  IMAGE_PLACEHOLDER,
  noteSession,
  type RawEntry,
  SourceLiteral,
  str,
  type Text,
  textOf,
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

/** A transcript's parsed lines and the strings held back from them (`CLAUDE_HOLD`). */
export interface ClaudeTranscript {
  records: Record<string, unknown>[];
  held?: readonly string[];
}

/** A message's content: a string, or blocks whose texts, thinking and image data may be long. */
const CONTENT: HoldSpec = {
  hold: true,
  keys: {
    text: { hold: true },
    thinking: { hold: true },
    signature: { hold: true },
    source: { keys: { data: { hold: true } } },
  },
};
(CONTENT.keys as Record<string, HoldSpec>).content = CONTENT;

/**
 * Where a Claude line's long strings may be held back (`held-strings.ts`): the texts, tool
 * results, thinking, signatures and image data under `message.content`, which this converter
 * reads only through `blockText`. A tool call's `input` is not held: it is re-serialised whole.
 */
export const CLAUDE_HOLD: HoldSpec = { keys: { message: { keys: { content: CONTENT } } } };

/** A message's text: the one string or text block it is, held or not, or its parts joined. */
function blockText(content: unknown, held: readonly string[]): Text {
  const literal = heldLiteral(content, held);
  if (literal !== undefined) return new SourceLiteral(literal);
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: Text[] = [];
  for (const item of content) {
    const block = asRecord(item);
    if (block?.type === "text") {
      const text = heldLiteral(block.text, held);
      parts.push(text !== undefined ? new SourceLiteral(text) : str(block.text));
    } else if (block?.type === "image") parts.push(IMAGE_PLACEHOLDER);
  }
  return parts.length === 1 ? (parts[0] as Text) : parts.map(textOf).join("\n");
}

const isBlank = (text: Text): boolean =>
  typeof text === "string" ? text.trim() === "" : text.isBlank();

function convertRecords(
  { records, held = [] }: ClaudeTranscript,
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
      const text = blockText(content, held);
      if (record.isCompactSummary === true) {
        const summary = `[compaction summary]\n${textOf(text)}`;
        push({ type: "system", content: summary, ...at }, sidechain);
        continue;
      }
      if (record.isApiErrorMessage === true) {
        push({ type: "system", content: `[error] ${textOf(text)}`, ...at }, sidechain);
        continue;
      }
      if (!isBlank(text)) push({ type, content: text, ...at }, sidechain);
      const blocks: unknown[] = Array.isArray(content) ? content : [];
      for (let i = 0; i < blocks.length; i++) {
        const block = asRecord(blocks[i]) as Block | undefined;
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
          const call = calls.get(str(block.tool_use_id));
          const target: RawEntry = call ?? { type: "tool", content: "", ...at };
          target.tool_output = blockText(block.content, held);
          if (block.is_error === true) target.is_error = true;
          if (!call) push(target, sidechain);
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
  main: ClaudeTranscript,
  subagents: (ClaudeTranscript & { id: string })[] = [],
): ConvertedSession {
  const session = emptySession();
  const lists = [convertRecords(main, session, undefined)];
  for (const sub of subagents) lists.push(convertRecords(sub, session, sub.id));
  session.entries = mergeByTime(lists);
  return session;
}
