/** "did you mean `max_concurrent`?" for a near-miss, or "" when nothing is close enough. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const needle = input.toLowerCase().replaceAll("-", "_");
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A third of the length keeps "max_concurent" -> "max_concurrent" but not "foo" -> "model".
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return best !== null && bestDistance <= limit ? `did you mean \`${best}\`?` : "";
}

/** Levenshtein distance with one rolling row. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
