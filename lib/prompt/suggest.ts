// "Did you mean …?" for unknown parameter names.

/**
 * Edit distance counting an adjacent swap as one edit (optimal string
 * alignment), because "--rwa" for "--raw" is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The most likely intended spelling of an unknown bare name, or null.
 * - "s250", "ar16:9": a known name glued to its value → "s 250", "ar 16:9".
 * - otherwise the nearest known name within 1 edit (names of 3–5 letters) or
 *   2 edits (longer). Names of 1–2 letters get no guess: every short alias is
 *   one edit away from them, so any guess would be noise.
 */
export function suggestName(unknown: string, known: readonly string[]): string | null {
  const glued = known
    .filter((name) => unknown.startsWith(name) && /^[0-9]/.test(unknown.slice(name.length)))
    .sort((a, b) => b.length - a.length)[0];
  if (glued !== undefined) return `${glued} ${unknown.slice(glued.length)}`;

  if (unknown.length < 3) return null;
  // A name far longer than any known one cannot be within reach; skip the quadratic work.
  if (unknown.length > 20) return null;
  const reach = unknown.length <= 5 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(unknown, name);
    if (distance <= reach && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}
