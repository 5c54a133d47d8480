// Seeded randomness. Pair selection and the simulations must be reproducible from
// a seed (tests, benches, and a server that wants to replay a session), and the
// library must run in the browser too, so no node:crypto and no Math.random.

/** A source of uniform numbers in [0, 1). `selectNextPair` accepts any such function. */
export type TRng = () => number;

/**
 * A small counter-based generator: a Weyl sequence (state += golden-ratio
 * increment) passed through a 32-bit avalanche mix. Weyl steps visit all 2³²
 * states before repeating and the mix decorrelates neighbouring states, which
 * is plenty for sampling pairs and synthetic users (not for secrets).
 */
export function createRng(seed: number): TRng {
  let state = (Math.trunc(seed) ^ 0x5bd1e995) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: TRng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}

/** Standard normal draw (Box–Muller; one of the pair is discarded for simplicity). */
export function randomNormal(rng: TRng): number {
  const u = 1 - rng(); // (0, 1], so log(u) is finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
