/**
 * Reads Claude Code's own session transcript (`~/.claude/projects/<project>/<session>.jsonl`), the
 * "claude-code" adapter of upstream's recovery (§7.7). Only dialogue and tool calls become
 * entries; bookkeeping lines (summaries, snapshots, system lines) and thinking blocks are dropped.
 * Malformed lines are skipped, as everywhere else.
 */
export interface RecoveredEntry {
  type: "user" | "assistant" | "tool";
  content: string;
  /** ms since the epoch, or 0 when the line carried no usable timestamp. */
  ts: number;
  tool_name?: string;
  tool_input?: string;
  tool_output?: string;
}

interface Block {
  type?: unknown;
  text?: unknown;
  id?: unknown;
  name?: unknown;
  input?: unknown;
  tool_use_id?: unknown;
  content?: unknown;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as Block[])
    .filter((b) => b?.type === "text")
    .map((b) => str(b.text))
    .join("\n");
}

export function parseClaudeTranscript(text: string): RecoveredEntry[] {
  const entries: RecoveredEntry[] = [];
  const toolCalls = new Map<string, RecoveredEntry>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let record: { type?: unknown; timestamp?: unknown; message?: { content?: unknown } };
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (record.type !== "user" && record.type !== "assistant") continue;
    const parsedTs = Date.parse(str(record.timestamp));
    const ts = Number.isNaN(parsedTs) ? 0 : parsedTs;
    const content = record.message?.content;
    const blocks: Block[] = Array.isArray(content) ? (content as Block[]) : [];
    const said = blockText(content);
    if (said.trim() !== "") entries.push({ type: record.type, content: said, ts });
    for (const block of blocks) {
      if (block?.type === "tool_use") {
        const call: RecoveredEntry = {
          type: "tool",
          content: "",
          ts,
          tool_name: str(block.name),
          tool_input: JSON.stringify(block.input ?? {}),
        };
        entries.push(call);
        if (typeof block.id === "string") toolCalls.set(block.id, call);
      } else if (block?.type === "tool_result") {
        const output = blockText(block.content);
        const call =
          typeof block.tool_use_id === "string" ? toolCalls.get(block.tool_use_id) : undefined;
        if (call) call.tool_output = output;
        else entries.push({ type: "tool", content: "", ts, tool_output: output });
      }
    }
  }
  return entries;
}
