import type { AhaMoment, Summary } from "./summary.ts";

export type ParseSource = "raw" | "json_fence" | "fence";

export interface ParsedSummary {
  summary: Summary;
  source: ParseSource;
}

const OUTCOMES = new Set(["success", "partial", "failed"]);
const MAX_LIST = 50;

function strings(value: unknown, limit = MAX_LIST): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === "string" && v.trim() !== "").slice(0, limit);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function ahaMoments(value: unknown): AhaMoment[] {
  if (!Array.isArray(value)) return [];
  const out: AhaMoment[] = [];
  for (const item of value.slice(0, MAX_LIST)) {
    const obj = record(item);
    if (!obj || typeof obj.seq !== "number" || !Number.isInteger(obj.seq) || obj.seq < 0) continue;
    const text = (k: string) => (typeof obj[k] === "string" ? (obj[k] as string) : "");
    if (text("highlight") === "") continue;
    out.push({
      seq: obj.seq,
      role: text("role"),
      type: text("type"),
      highlight: text("highlight"),
      why: text("why"),
    });
  }
  return out;
}

/** A finite score clamped to 0..1; anything else is 0 ("no score", which v0.5 uploads). */
export function clampScore(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/**
 * Builds a Summary from a parsed JSON value, or null when it fails the acceptance gate (a
 * non-empty string `title`). Optional fields of the wrong type are dropped, not fatal.
 */
export function validateSummary(value: unknown): Summary | null {
  const obj = record(value);
  if (!obj || typeof obj.title !== "string" || obj.title.trim() === "") return null;
  const summary: Summary = {
    title: obj.title.trim().slice(0, 300),
    summary: typeof obj.summary === "string" ? obj.summary : "",
    key_actions: strings(obj.key_actions),
    outcome: typeof obj.outcome === "string" && OUTCOMES.has(obj.outcome) ? obj.outcome : "",
    topics_found: strings(obj.topics_found),
    quality_score: clampScore(obj.quality_score),
  };
  if (typeof obj.score_reason === "string" && obj.score_reason !== "")
    summary.score_reason = obj.score_reason;
  if (typeof obj.final_plan === "string" && obj.final_plan !== "")
    summary.final_plan = obj.final_plan;
  const diagrams = strings(obj.diagrams, 20);
  if (diagrams.length > 0) summary.diagrams = diagrams;
  const chapters = strings(obj.chapter_titles, 20);
  if (chapters.length > 0) summary.chapter_titles = chapters;
  const aha = ahaMoments(obj.aha_moments);
  if (aha.length > 0) summary.aha_moments = aha;
  const agentSummary = record(obj.agent_summary);
  if (agentSummary) summary.agent_summary = agentSummary;
  if (Array.isArray(obj.sageox_insights)) {
    const insights = obj.sageox_insights
      .map(record)
      .filter((v): v is Record<string, unknown> => !!v);
    if (insights.length > 0) summary.sageox_insights = insights.slice(0, MAX_LIST);
  }
  return summary;
}

function tryParse(text: string): Summary | null {
  try {
    // A fresh object per attempt: nothing from a failed attempt can leak into a later one.
    return validateSummary(JSON.parse(text.trim()));
  } catch {
    return null;
  }
}

function between(text: string, open: string, skipLine: boolean): string | null {
  const start = text.indexOf(open);
  if (start === -1) return null;
  let from = start + open.length;
  if (skipLine) {
    const nl = text.indexOf("\n", from);
    if (nl === -1) return null;
    from = nl + 1;
  }
  const end = text.indexOf("```", from);
  return end === -1 ? null : text.slice(from, end);
}

/** Upstream's ParseSummaryJSON (§7.10): whole output, then a ```json fence, then any fence. */
export function parseSummaryOutput(output: string): ParsedSummary | null {
  const raw = tryParse(output);
  if (raw) return { summary: raw, source: "raw" };
  const jsonFence = between(output, "```json", false);
  const fromJson = jsonFence === null ? null : tryParse(jsonFence);
  if (fromJson) return { summary: fromJson, source: "json_fence" };
  const anyFence = between(output, "```", true);
  const fromAny = anyFence === null ? null : tryParse(anyFence);
  if (fromAny) return { summary: fromAny, source: "fence" };
  return null;
}
