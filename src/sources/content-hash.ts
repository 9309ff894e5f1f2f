import { createHash } from "node:crypto";

/**
 * The `content_hash` of `source_imports`. It only tells a transcript that changed from one that
 * was touched (same size, new mtime); nobody verifies it as a digest, so it is xxHash3-64 (about
 * 20x faster than sha256 here, bench/results/sources.md), hex, left-padded with zeros to the
 * column's 64 characters. Rows written before hold sha256 hex: for one of those, sha256 is
 * computed too (only then) to compare, and the row is rewritten with the new hash.
 */
const PAD = "0".repeat(48);

/** A sha256 hex value begins with 48 zeros with probability 2^-192: such a value is ours. */
export function isLegacyHash(stored: string): boolean {
  return !stored.startsWith(PAD);
}

/** The hash of a transcript and the files folded into it, one `add` per file, in order. */
export class ContentHasher {
  private readonly parts: string[] = [];
  private readonly legacyParts: string[] | null;

  constructor(legacy = false) {
    this.legacyParts = legacy ? [] : null;
  }

  add(bytes: Uint8Array): void {
    this.parts.push(Bun.hash.xxHash3(bytes).toString(16).padStart(16, "0"));
    this.legacyParts?.push(createHash("sha256").update(bytes).digest("hex"));
  }

  digest(): string {
    return PAD + Bun.hash.xxHash3(this.parts.join("")).toString(16).padStart(16, "0");
  }

  /** What rows written before this hash held: sha256 of the files' sha256 hex, concatenated. */
  legacyDigest(): string | null {
    if (!this.legacyParts) return null;
    return createHash("sha256").update(this.legacyParts.join("")).digest("hex");
  }
}
