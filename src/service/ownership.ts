/**
 * A unit file agentwork wrote ends with one marker line holding the SHA-256 of everything above
 * it. So agentwork recognises its own files, notices when someone edited one, and never
 * overwrites or removes a file it did not write.
 */
export type Ownership = "ours" | "edited" | "foreign";

export interface MarkerStyle {
  /** The marker line for a hash, e.g. `# agentwork-sha256: …` or `<!-- agentwork-sha256: … -->`. */
  line(hash: string): string;
}

const MARKER = /^(?:#|<!--) agentwork-sha256: ([0-9a-f]{64})(?: -->)?$/;

export function stampOwned(body: string, style: MarkerStyle): string {
  const text = body.endsWith("\n") ? body : `${body}\n`;
  return `${text}${style.line(sha256(text))}\n`;
}

export function ownershipOf(fileText: string): Ownership {
  const trimmed = fileText.endsWith("\n") ? fileText.slice(0, -1) : fileText;
  const cut = trimmed.lastIndexOf("\n");
  const match = MARKER.exec(trimmed.slice(cut + 1));
  if (!match) return "foreign";
  return sha256(trimmed.slice(0, cut + 1)) === match[1] ? "ours" : "edited";
}

function sha256(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}
