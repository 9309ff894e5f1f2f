import type { Summary } from "../summary.ts";

/** summary.json text: upstream's field order, 2-space indent, optional fields only when set. */
export function summaryJson(s: Summary): string {
  const ordered: Record<string, unknown> = {
    title: s.title,
    summary: s.summary,
    key_actions: s.key_actions,
    outcome: s.outcome,
    agent_summary: s.agent_summary,
    topics_found: s.topics_found,
    final_plan: s.final_plan,
    diagrams: s.diagrams,
    chapter_titles: s.chapter_titles,
    chapters: s.chapters,
    files_changed: s.files_changed,
    aha_moments: s.aha_moments,
    sageox_insights: s.sageox_insights,
    quality_score: s.quality_score,
    score_reason: s.score_reason,
    redactions: s.redactions,
  };
  for (const key of Object.keys(ordered)) if (ordered[key] === undefined) delete ordered[key];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
