/** Shannon entropy in bits per character. */
export function entropyBits(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const REFERENCE = /^(?:\$|%|process\.env|os\.environ|env\.|<|\*{3,}|x{4,}|\.\.\.)/i;

/**
 * Whether an assigned value looks like a real secret rather than a placeholder or a variable
 * reference: at least 8 characters, two character classes, and 3 bits of entropy per character.
 */
export function looksSecret(value: string): boolean {
  if (value.length < 8 || value.includes("[REDACTED:") || REFERENCE.test(value)) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2 && entropyBits(value) >= 3;
}
