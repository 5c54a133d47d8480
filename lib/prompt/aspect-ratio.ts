// Aspect-ratio arithmetic shared by the prompt parser, its schema, Draft's
// "--ar" edits and the gallery's ratio filter: they must agree on what a
// reduced ratio is, so there is one greatest-common-divisor in the codebase.

/** Greatest common divisor of two non-negative integers (gcd(0, n) = n). */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** 32:18 → 16:9. Both sides must be positive integers. */
export function reduceRatio(width: number, height: number): { width: number; height: number } {
  const divisor = gcd(width, height);
  return { width: width / divisor, height: height / divisor };
}
