import type { Summary } from "../summary.ts";
import { escapeHtml as esc } from "./format.ts";

function list(items: readonly string[], tag: "ul" | "ol" = "ul"): string {
  return `<${tag}>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</${tag}>`;
}

/** The summary card at the top of session.html. Every model string is escaped. */
export function summaryHtml(s: Summary): string {
  const parts: string[] = [`<section class="summary">`];
  const outcome = s.outcome ? `<span class="badge ${esc(s.outcome)}">${esc(s.outcome)}</span>` : "";
  const score =
    s.quality_score > 0 ? `<span class="chip">quality ${s.quality_score.toFixed(2)}</span>` : "";
  parts.push(`<h2>Summary</h2><p>${outcome}${score}</p>`);
  if (s.summary) parts.push(`<div class="text">${esc(s.summary)}</div>`);
  if (s.key_actions.length > 0) parts.push(`<h2>Key actions</h2>${list(s.key_actions)}`);
  if (s.aha_moments && s.aha_moments.length > 0) {
    parts.push(
      `<h2>Key moments</h2><ol>${s.aha_moments
        .map(
          (m) =>
            `<li><a href="#msg-${m.seq}">${esc(m.highlight)}</a>${m.why ? ` — ${esc(m.why)}` : ""}</li>`,
        )
        .join("")}</ol>`,
    );
  }
  if (s.final_plan) parts.push(`<h2>Final plan</h2><div class="text">${esc(s.final_plan)}</div>`);
  if (s.diagrams && s.diagrams.length > 0) {
    parts.push(
      `<h2>Diagrams</h2>${s.diagrams.map((d) => `<details><summary>mermaid source</summary><pre>${esc(d)}</pre></details>`).join("")}`,
    );
  }
  if (s.topics_found.length > 0)
    parts.push(
      `<h2>Topics</h2><p>${s.topics_found.map((t) => `<span class="chip">${esc(t)}</span>`).join("")}</p>`,
    );
  if (s.score_reason) parts.push(`<p class="meta">${esc(s.score_reason)}</p>`);
  parts.push(`</section>\n`);
  return parts.join("");
}
