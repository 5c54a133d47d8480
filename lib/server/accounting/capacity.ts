import "server-only";
import type { Db } from "@/lib/db/client";
import type { TJobMode } from "@/lib/jobs/model";
import { FAST_P95_TARGET_MS, FLEET_SIZES, JOB_KIND_NAMES, MEASURED_COST_MS, smallestFleet, type JobKindName } from "@/lib/capacity/simulate";
import type { TCapacityEstimate } from "@/lib/schemas/capacity";

const DAY_MS = 86_400_000;
export const CAPACITY_WINDOW_DAYS = 7;
/** The maintenance sweep's period, which the simulator replays (workers/maintenance.ts). */
const SWEEP_MS = 15_000;

/**
 * How a job row maps onto the simulator's kinds: what it costs a GPU. Drafts
 * of any kind are cheap; Vary starts part-way through the schedule; an
 * upscale is one pass; everything else (imagine, edits, reruns) runs a full
 * schedule.
 */
const KIND_SQL = `CASE WHEN j."params"->>'kind' = 'upscale' THEN 'upscale'
                       WHEN j."params"->>'quality' = 'draft' THEN 'draft'
                       WHEN j."params"->>'kind' = 'vary' THEN 'vary'
                       ELSE 'full' END`;

/**
 * The admin dashboard's capacity estimate: the last seven days of this
 * studio's traffic (jobs per day, users, the busiest hour against the mean,
 * the mode and kind mix, and the measured GPU-busy time per kind from its
 * completed attempts) replayed through bench/capacity's simulator on fleets
 * of growing size, down to the smallest that keeps Fast p95 under 30 s.
 */
export async function getCapacityEstimate(db: Db, now = new Date()): Promise<TCapacityEstimate> {
  const since = new Date(now.getTime() - CAPACITY_WINDOW_DAYS * DAY_MS);
  const [mix, costs, [totals], hours] = await Promise.all([
    db.$queryRawUnsafe<Array<{ mode: TJobMode; kind: JobKindName; jobs: number }>>(
      `SELECT j."mode"::text AS mode, ${KIND_SQL} AS kind, COUNT(*)::int AS jobs FROM "job" j WHERE j."createdAt" >= $1 GROUP BY 1, 2`,
      since,
    ),
    db.$queryRawUnsafe<Array<{ kind: JobKindName; busyMs: number }>>(
      `SELECT ${KIND_SQL} AS kind, AVG(u."wallMs")::float8 AS "busyMs"
         FROM "gpu_usage" u JOIN "job" j ON j."id" = u."jobId"
        WHERE u."createdAt" >= $1 AND u."outcome" = 'completed' GROUP BY 1`,
      since,
    ),
    db.$queryRaw<Array<{ users: number }>>`SELECT COUNT(DISTINCT "userId")::int AS users FROM "job" WHERE "createdAt" >= ${since}`,
    db.$queryRaw<Array<{ jobs: number }>>`SELECT COUNT(*)::int AS jobs FROM "job" WHERE "createdAt" >= ${since} GROUP BY EXTRACT(HOUR FROM "createdAt")`,
  ]);

  const jobs = mix.reduce((sum, row) => sum + row.jobs, 0);
  const share = <K extends string>(keys: readonly K[], of: (row: (typeof mix)[number]) => K) =>
    Object.fromEntries(keys.map((key) => [key, jobs === 0 ? 0 : mix.filter((row) => of(row) === key).reduce((sum, row) => sum + row.jobs, 0) / jobs])) as Record<K, number>;
  const modes = share(["turbo", "fast", "relax"] as const, (row) => row.mode);
  const kinds = share(JOB_KIND_NAMES, (row) => row.kind);
  const measured = new Map(costs.filter((row) => row.busyMs > 0).map((row) => [row.kind, row.busyMs]));
  const costMs = Object.fromEntries(JOB_KIND_NAMES.map((kind) => [kind, Math.round(measured.get(kind) ?? MEASURED_COST_MS[kind])])) as Record<JobKindName, number>;
  const peakToMean = jobs === 0 ? 0 : Math.max(...hours.map((hour) => hour.jobs)) / (jobs / 24);
  const traffic = {
    jobsPerDay: jobs / CAPACITY_WINDOW_DAYS,
    users: Math.max(1, totals?.users ?? 0),
    peakToMean: Math.max(1, peakToMean),
    modes,
    kinds,
  };
  const fleet = jobs === 0 ? null : smallestFleet({ traffic, costMs, sweepMs: SWEEP_MS, seed: 1 });
  return {
    windowDays: CAPACITY_WINDOW_DAYS,
    jobs,
    jobsPerDay: traffic.jobsPerDay,
    users: totals?.users ?? 0,
    peakToMean,
    modes,
    kinds,
    costMs,
    measuredKinds: JOB_KIND_NAMES.filter((kind) => measured.has(kind)),
    gpus: fleet?.gpus ?? null,
    largestFleet: Math.max(...FLEET_SIZES),
    targetMs: FAST_P95_TARGET_MS,
    fastP95Ms: fleet && Number.isFinite(fleet.waits.fast.p95Ms) ? fleet.waits.fast.p95Ms : null,
    utilisation: fleet?.utilisation ?? null,
  };
}
