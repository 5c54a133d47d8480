/**
 * How GPU time turns into charged fast time. Turbo costs twice as much, Relax
 * is free (but still measured); drafts are cheaper simply because they compute
 * less, so no separate draft discount is needed.
 */
export const MODE_MULTIPLIER = { turbo: 2, fast: 1, relax: 0 } as const;
export type TMode = keyof typeof MODE_MULTIPLIER;

export const MS_PER_HOUR = 3_600_000;

/** The monthly period containing `now`: calendar months in UTC. */
export function periodOf(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/** Charged credit-ms for measured GPU ms in a mode. */
export function chargeFor(gpuMs: number, mode: TMode): number {
  return Math.round(gpuMs * MODE_MULTIPLIER[mode]);
}
