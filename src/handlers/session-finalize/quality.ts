/** What happens to a summarized session, decided by its quality score. */
export type Disposition = "upload" | "local_only" | "discard";

export interface QualityThresholds {
  upload: number;
  discard: number;
}

export const DEFAULT_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  upload: 0.3,
  discard: 0.1,
});

/**
 * The v0.5 rule: a score of 0 or less means the model gave none and is uploaded; below the
 * discard threshold is discarded; below the upload threshold stays local; otherwise uploaded.
 * Boundaries: score == discard is local_only, score == upload is upload.
 */
export function disposition(score: number, thresholds: QualityThresholds): Disposition {
  if (score <= 0) return "upload";
  if (score < thresholds.discard) return "discard";
  if (score < thresholds.upload) return "local_only";
  return "upload";
}
