/** Did-you-mean suggestions for unknown keys. */

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known key an unknown one most likely meant: the same key in another case (`Name`), a
 * close spelling (`launchPermissions`), or a known key that contains it (`tags` → `amiTags`).
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(lower, key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  const threshold = Math.max(2, Math.floor(unknown.length / 3));
  if (best !== undefined && best.distance <= threshold) return best.key;
  if (lower.length >= 3) {
    const containing = known.filter((k) => k.toLowerCase().includes(lower));
    if (containing.length === 1) return containing[0];
  }
  return undefined;
}
