import { safeText } from "../../../core/terminal-text.ts";
import type { SessionHeader } from "../session-reader.ts";
import type { Summary } from "../summary.ts";
import type { FileAction } from "./file-changes.ts";
import { displayTime, prettyAgent } from "./format.ts";

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

/** summary.md: the structured summary (upstream §7.12); sections only when they have content. */
export function summaryMarkdown(
  s: Summary,
  header: SessionHeader,
  files: { path: string; action: FileAction }[],
): string {
  const out: string[] = ["# Session Summary", ""];
  const info: [string, string | undefined][] = [
    ["Date", displayTime(header.createdAt)],
    [
      "Agent",
      header.agentType
        ? prettyAgent(header.agentType) + (header.agentVersion ? ` ${header.agentVersion}` : "")
        : undefined,
    ],
    ["Model", header.model],
    ["User", header.username],
    ["Session ID", header.agentId],
    ["Outcome", s.outcome],
  ];
  const present = info.filter((kv): kv is [string, string] => !!kv[1]);
  out.push("## Session Info", "");
  if (present.length === 0) out.push("_No metadata available._");
  for (const [k, v] of present) out.push(`- **${k}:** ${oneLine(v)}`);
  out.push("");
  if (s.title) out.push(`**${oneLine(s.title)}**`, "");
  if (s.summary) out.push("## Summary", "", s.summary, "");
  if (s.key_actions.length > 0)
    out.push("## Key Actions", "", ...s.key_actions.map((a) => `- ${oneLine(a)}`), "");
  if (s.diagrams && s.diagrams.length > 0) {
    out.push("## Diagrams", "");
    s.diagrams.forEach((d, i) => {
      if (i > 0) out.push("---", "");
      out.push("```mermaid", d.replace(/```/g, "'''"), "```", "");
    });
  }
  if (s.final_plan) out.push("## Final Plan", "", s.final_plan, "");
  if (files.length > 0) {
    out.push("## Files Modified", "", "| Path | Action |", "|---|---|");
    for (const f of files) out.push(`| ${f.path.replace(/\|/g, "\\|")} | ${f.action} |`);
    out.push("");
  }
  if (s.topics_found.length > 0)
    out.push(
      "## Topics",
      "",
      s.topics_found.map((t) => `\`${t.replace(/`/g, "")}\``).join(" "),
      "",
    );
  // The model's text and the header come from the transcript: no terminal escapes in the file.
  return safeText(out.join("\n"), { multiline: true });
}
