import { hostname } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../core/clock.ts";
import { isoTime } from "../../core/clock.ts";
import { AgentworkError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { RedactionCounts } from "../../core/redaction/redactor.ts";
import { buildMeta, metaJson, type SessionMeta } from "./artifacts/meta-json.ts";
import { summaryJson } from "./artifacts/summary-json.ts";
import { summaryMarkdown } from "./artifacts/summary-md.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { exportSession } from "./export.ts";
import { type Disposition, disposition, type QualityThresholds } from "./quality.ts";
import type { Summary } from "./summary.ts";
import { DISCARDED_MARKER, type SessionFinalizePayload } from "./types.ts";

export interface WrittenArtifacts {
  disposition: Disposition;
  files: string[];
  meta?: SessionMeta;
}

function artifactError(payload: SessionFinalizePayload, error: unknown): AgentworkError {
  if (error instanceof AgentworkError) return error;
  if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
    return new AgentworkError(
      "E_DISK_FULL",
      `disk full: cannot write the artifacts of ${payload.session_name} in ${payload.session_dir}; the summary is kept and written once there is room`,
      { cause: error },
    );
  }
  return new AgentworkError(
    "E_ARTIFACT",
    `writing artifacts of ${payload.session_name} failed: ${String(error)}`,
    {
      cause: error,
    },
  );
}

/**
 * Applies the quality disposition and writes the artifacts (upstream §7.11-7.13). Discard marks
 * the session with `.discarded.json` and keeps the recording (decisions.md). Any failed write
 * throws: a run whose artifacts failed is not a success.
 */
export async function writeFinalArtifacts(
  payload: SessionFinalizePayload,
  summary: Summary,
  options: {
    thresholds: QualityThresholds;
    clock: Clock;
    logger: Logger;
    /** Rebuild the other artifacts around a summary.json that exists; leave it as it is. */
    keepSummaryJson?: boolean;
    toolOutputLimit?: number;
    /** Secrets redacted from this session, by kind (recorded in summary.json and meta.json). */
    redactions?: RedactionCounts;
  },
): Promise<WrittenArtifacts> {
  const dir = payload.session_dir;
  const verdict = disposition(summary.quality_score, options.thresholds);
  const reason = summary.score_reason ?? "";
  try {
    if (verdict === "discard") {
      const marker = {
        discarded_at: isoTime(options.clock.now()),
        host: hostname(),
        quality_score: summary.quality_score,
        discard_threshold: options.thresholds.discard,
        score_reason: reason,
        title: summary.title,
      };
      writeFileAtomic(join(dir, DISCARDED_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
      options.logger.info(
        `session-finalize: discarding ${payload.session_name} (score ${summary.quality_score} < ${options.thresholds.discard}: ${reason}); recording kept, marked ${DISCARDED_MARKER}`,
      );
      return { disposition: verdict, files: [join(dir, DISCARDED_MARKER)] };
    }
    const exported = await exportSession(dir, {
      clock: options.clock,
      logger: options.logger,
      summary,
      name: payload.session_name,
      ...(options.toolOutputLimit === undefined
        ? {}
        : { toolOutputLimit: options.toolOutputLimit }),
    });
    const enriched: Summary = { ...summary, redactions: options.redactions ?? {} };
    if (exported.chapters.length > 0) enriched.chapters = exported.chapters;
    const changed = exported.fileChanges.toFilesChanged();
    if (changed.length > 0) enriched.files_changed = changed;
    const summaryJsonPath = join(dir, "summary.json");
    const summaryMdPath = join(dir, "summary.md");
    if (options.keepSummaryJson !== true) writeFileAtomic(summaryJsonPath, summaryJson(enriched));
    writeFileAtomic(
      summaryMdPath,
      summaryMarkdown(enriched, exported.header, exported.fileChanges.list()),
    );
    const files = [summaryJsonPath, summaryMdPath, ...exported.files];
    options.logger.info(
      `session-finalize: wrote ${files.length} artifacts for ${payload.session_name} (score ${summary.quality_score}, ${verdict})`,
    );
    if (verdict === "local_only") {
      options.logger.info(
        `session-finalize: keeping ${payload.session_name} local (score ${summary.quality_score} < ${options.thresholds.upload}: ${reason})`,
      );
      return { disposition: verdict, files };
    }
    const meta = buildMeta(payload.session_name, exported.header, enriched, exported.stats.entries);
    const metaPath = join(dir, "meta.json");
    writeFileAtomic(metaPath, metaJson(meta));
    return { disposition: verdict, files: [...files, metaPath], meta };
  } catch (error) {
    throw artifactError(payload, error);
  }
}
