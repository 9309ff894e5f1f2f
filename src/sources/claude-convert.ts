import {
  asRecord,
  type ConvertedSession,
  emptySession,
  IMAGE_PLACEHOLDER,
  noteSession,
  type RawEntry,
  type SourceLiteral,
  str,
} from "./imported-session.ts";
import { stringLiteralAt } from "./json-literal.ts";
import { mergeByTime } from "./merge-entries.ts";

/**
 * Claude Code's project transcript (`~/.claude/projects/<project>/<uuid>.jsonl`) → ledger entries.
 * Kept: user and assistant text, tool calls with their results (errors marked), compaction
 * summaries, API error lines and, folded in by time, the turns of its subagents
 * (`<uuid>/subagents/agent-*.jsonl`, and sidechain lines of older versions). Dropped: thinking,
 * file snapshots, meta lines. Images become a placeholder.
 */
type Block = Record<string, unknown>;
type Path = (string | number)[];

/** A transcript's parsed lines and, when known, the text of each (for `SourceLiteral`s). */
export interface ClaudeTranscript {
  records: Record<string, unknown>[];
  lines?: readonly string[];
}

/**
 * Shorter strings are escaped again: finding their literal would cost more than it saves
 * (bench/results/sources.md).
 */
const LITERAL_MIN_CHARS = 256;

/**
 * A message's text; `only` says where it sits when it is exactly one string of the message:
 * WHOLE (the content is that string) or the index of its one text block.
 */
function blockText(content: unknown): { text: string; only?: number } {
  if (typeof content === "string") return { text: content, only: WHOLE };
  if (!Array.isArray(content)) return { text: "" };
  const parts: string[] = [];
  let only: number | undefined;
  for (let i = 0; i < content.length; i++) {
    const block = asRecord(content[i]);
    if (!block) continue;
    if (block.type === "text") {
      only = parts.length === 0 ? i : undefined;
      parts.push(str(block.text));
    } else if (block.type === "image") {
      only = undefined;
      parts.push(IMAGE_PLACEHOLDER);
    }
  }
  return { text: parts.join("\n"), only: parts.length === 1 ? only : undefined };
}

const WHOLE = -1;

function convertRecords(
  { records, lines }: ClaudeTranscript,
  session: ConvertedSession,
  subagent: string | undefined,
): RawEntry[] {
  const entries: RawEntry[] = [];
  let line = "";
  /** The source's own JSON text of a long message text (`blockText`), found under `at`. */
  const literal = (
    { text, only }: { text: string; only?: number },
    at: Path,
  ): SourceLiteral | undefined => {
    if (only === undefined || text.length < LITERAL_MIN_CHARS || line === "") return undefined;
    const json = stringLiteralAt(line, only === WHOLE ? at : [...at, only, "text"]);
    return json !== undefined && json.length >= text.length + 2 ? { value: text, json } : undefined;
  };
  const calls = new Map<string, RawEntry>();
  const push = (entry: RawEntry, sidechain: boolean) => {
    const agent = subagent ?? (sidechain ? "sidechain" : undefined);
    entries.push(agent ? { ...entry, subagent: agent } : entry);
  };
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as Record<string, unknown>;
    line = lines?.[r] ?? "";
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
      const said = blockText(content);
      const text = said.text;
      if (record.isCompactSummary === true) {
        push({ type: "system", content: `[compaction summary]\n${text}`, ...at }, sidechain);
        continue;
      }
      if (record.isApiErrorMessage === true) {
        push({ type: "system", content: `[error] ${text}`, ...at }, sidechain);
        continue;
      }
      if (text.trim() !== "") {
        const json = literal(said, ["message", "content"]);
        push(
          { type, content: text, ...at, ...(json ? { literals: { content: json } } : {}) },
          sidechain,
        );
      }
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
          const result = blockText(block.content);
          const output = result.text;
          const json = literal(result, ["message", "content", i, "content"]);
          const call = calls.get(str(block.tool_use_id));
          const target: RawEntry = call ?? { type: "tool", content: "", ...at };
          target.tool_output = output;
          if (json) target.literals = { ...target.literals, tool_output: json };
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
