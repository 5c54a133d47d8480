import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { costShape, imageCount, outputSize, ZJobParams, type TJobParams } from "@/lib/jobs/registry";

/** Held on top of the recent average, so a slower-than-usual run rarely exceeds its reservation. */
const SAFETY_MARGIN = 1.25;
const RECENT_JOBS = 20;
/** Before anything was measured: GPU ms per megapixel-step, a deliberately generous CPU figure. */
const COLD_MS_PER_MEGAPIXEL = { draft: 2_000, full: 10_000 } as const;

/**
 * Jobs that cost the same GPU time share a key: model, kind, quality,
 * variant (upscale mode, vary strength or image-prompt weight) and input size. Stored on the job
 * row (`estimateKey`, indexed) when it is accepted; the migration that added
 * the column computes the same string in SQL for older rows.
 */
export function estimateKey(params: TJobParams): string {
  // Each kind says what else changes its cost (lib/jobs/kinds: costShape).
  const { input, variant } = costShape(params);
  return [params.model, params.kind, params.quality, variant, `${input.width}x${input.height}`].join("|");
}

/** How many recent jobs of another size or variant a cold estimate learns from. */
const SIMILAR_JOBS = 50;

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

/**
 * Estimated GPU ms for a job, deliberately cautious because the hold is what
 * guarantees the charge (issue: cold estimates once came in 3× below what the
 * job then used, so the last job before a balance ran out was partly free):
 *
 * - warm (jobs with the same estimate key ran): the larger of the recent
 *   average plus a margin and the recent p95;
 * - cold: a prior from measured jobs of the same model, kind and quality at
 *   other sizes or variants — the p95 of their GPU ms per output megapixel and
 *   image (and at least their mean plus the margin), scaled to this job;
 * - nothing measured for the model and kind yet: a generous size-scaled default.
 *
 * The (estimateKey, status, createdAt) index makes the warm read at most 20
 * index entries however many jobs the studio has run.
 */
export async function estimateGpuMs(db: Db | Prisma.TransactionClient, params: TJobParams): Promise<number> {
  const recent = await db.$queryRaw<Array<{ avg: number | null; p95: number | null }>>`
    SELECT avg("gpuMs")::float8 AS avg, percentile_cont(0.95) WITHIN GROUP (ORDER BY "gpuMs")::float8 AS p95 FROM (
      SELECT "gpuMs" FROM "job"
      WHERE "estimateKey" = ${estimateKey(params)} AND status = 'completed' AND "gpuMs" > 0
      ORDER BY "createdAt" DESC LIMIT ${RECENT_JOBS}
    ) AS recent_jobs`;
  const { avg, p95 } = recent[0] ?? { avg: null, p95: null };
  if (avg) return Math.max(1, Math.round(Math.max(avg * SAFETY_MARGIN, p95 ?? 0)));

  const units = (job: TJobParams) => {
    const size = outputSize(job);
    return ((size.width * size.height) / 1_000_000) * imageCount(job);
  };
  const similar = await db.job.findMany({
    where: { estimateKey: { startsWith: `${params.model}|${params.kind}|${params.quality}|` }, status: "completed", gpuMs: { gt: 0 } },
    orderBy: { createdAt: "desc" },
    take: SIMILAR_JOBS,
    select: { gpuMs: true, params: true },
  });
  const rates = similar
    .flatMap((job) => {
      const parsed = ZJobParams.safeParse(job.params);
      return parsed.success && units(parsed.data) > 0 ? [job.gpuMs / units(parsed.data)] : [];
    })
    .sort((a, b) => a - b);
  if (rates.length > 0) {
    const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
    return Math.max(1, Math.round(Math.max(mean * SAFETY_MARGIN, percentile(rates, 0.95)) * units(params)));
  }
  return Math.max(1, Math.round(COLD_MS_PER_MEGAPIXEL[params.quality] * units(params)));
}
