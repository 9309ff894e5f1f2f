import { type SessionEntry, toolArgs } from "../entry.ts";
import type { SessionHeader } from "../session-reader.ts";

/**
 * Escapes text for HTML element content and quoted attribute values alike (& < > " ').
 * Bun's native escaper: several times faster than a regex replace on large transcripts.
 */
export function escapeHtml(text: string): string {
  return Bun.escapeHTML(text);
}

/** `YYYY-MM-DD HH:MM UTC`, or the input unchanged when it is not a date. */
export function displayTime(iso: string | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "claude-code" → "Claude Code". */
export function prettyAgent(type: string | undefined): string {
  if (!type) return "Assistant";
  return type
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

export function roleLabel(entry: SessionEntry, header: SessionHeader): string {
  switch (entry.role) {
    case "user":
      return header.username || "User";
    case "assistant":
      return prettyAgent(header.agentType);
    case "system":
      return "System";
    case "tool":
      return "Tool Call";
    case "tool_result":
      return "Tool Result";
    default:
      return entry.type || "Entry";
  }
}

function shortPath(path: string): string {
  return path.replace(/^\/(home|Users)\/[^/]+\//, "~/");
}

/** A compact one-line view of a tool call, e.g. `Bash  npm test` or `Edit  ~/src/a.ts`. */
export function toolSummary(entry: SessionEntry): string {
  const name = entry.toolName ?? "tool";
  const args = toolArgs(entry);
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : "");
  let detail = "";
  if (str("command")) detail = str("command");
  else if (str("file_path")) detail = shortPath(str("file_path"));
  else if (str("pattern"))
    detail = `${str("pattern")}${str("path") ? ` in ${shortPath(str("path"))}` : ""}`;
  else if (str("path")) detail = shortPath(str("path"));
  else if (str("url")) detail = str("url");
  else if (str("description")) detail = str("description");
  const line = detail.split("\n")[0] ?? "";
  return `${name}  ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`.trimEnd();
}

/** Tool input shown in full: pretty JSON when it parses, else as written. */
export function prettyToolInput(entry: SessionEntry): string {
  if (!entry.toolInput) return "";
  const args = toolArgs(entry);
  return Object.keys(args).length > 0 ? JSON.stringify(args, null, 2) : entry.toolInput;
}
