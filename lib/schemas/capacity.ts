import { z } from "zod";

const ZKindNumbers = z.object({ full: z.number(), draft: z.number(), vary: z.number(), upscale: z.number() });

/**
 * The admin capacity estimate (GET /api/v1/admin/capacity): the studio's own
 * last days of traffic, replayed by the bench/capacity simulator on fleets of
 * growing size (docs/scaling.md §2).
 */
export const ZCapacityEstimate = z
  .object({
    windowDays: z.number().int().positive(),
    /** Jobs submitted in the window. */
    jobs: z.number().int().nonnegative(),
    jobsPerDay: z.number().nonnegative(),
    users: z.number().int().nonnegative(),
    /** Busiest hour of the day ÷ the mean hour (the simulator caps its cycle at 2). */
    peakToMean: z.number().nonnegative(),
    /** Share of jobs per mode and per kind (each sums to 1 when there were jobs). */
    modes: z.object({ turbo: z.number(), fast: z.number(), relax: z.number() }),
    kinds: ZKindNumbers,
    /** GPU-busy ms per job of each kind: the mean of the window's completed attempts, else the bundled default. */
    costMs: ZKindNumbers,
    measuredKinds: z.array(z.enum(["full", "draft", "vary", "upscale"])),
    /** The smallest fleet that keeps Fast p95 under the target; null when there was no traffic or even the largest does not. */
    gpus: z.number().int().positive().nullable(),
    largestFleet: z.number().int().positive(),
    targetMs: z.number().positive(),
    /** Fast p95 wait and GPU utilisation on that fleet. */
    fastP95Ms: z.number().nullable(),
    utilisation: z.number().nullable(),
  })
  .meta({ id: "CapacityEstimate" });
export type TCapacityEstimate = z.infer<typeof ZCapacityEstimate>;

/** The estimate in one sentence, as the admin dashboard shows it. */
export function capacitySentence(estimate: Pick<TCapacityEstimate, "jobs" | "windowDays" | "gpus" | "largestFleet" | "targetMs">): string {
  const target = `Fast p95 under ${estimate.targetMs / 1000} s`;
  if (estimate.jobs === 0) return `No jobs in the last ${estimate.windowDays} days yet: nothing to plan from.`;
  if (estimate.gpus === null) return `With this mix, even ${estimate.largestFleet} GPUs do not keep ${target}.`;
  return `With this mix, ${estimate.gpus} GPU${estimate.gpus === 1 ? " keeps" : "s keep"} ${target}.`;
}
