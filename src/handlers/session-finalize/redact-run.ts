import { addCounts, type RedactionCounts, type Redactor } from "../../core/redaction/redactor.ts";
import type { Summary } from "./summary.ts";

/** `3 aws_access_key, 1 jwt`, for log lines. */
export function describeCounts(counts: RedactionCounts): string {
  const parts = Object.entries(counts).map(([kind, n]) => `${n} ${kind}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** The prompt's data, redacted once more (raw.jsonl already is; this covers everything else). */
export function redactPrompt(redactor: Redactor, prompt: string): string {
  return redactor.text(prompt, {});
}

/**
 * Redacts the model's summary in place (a model can echo or invent a secret) and returns the
 * session's redaction counts: the marks in raw.jsonl plus what the summary needed.
 */
export function redactSummary(
  redactor: Redactor,
  parsed: { summary: Summary },
  rawMarks: RedactionCounts,
): RedactionCounts {
  const found: RedactionCounts = {};
  parsed.summary = redactor.value(parsed.summary, found);
  return addCounts({ ...rawMarks }, found);
}
