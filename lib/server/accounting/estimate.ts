import type { Db } from "@/lib/db/client";
import { costShape, imageCount, outputSize, type TJobParams } from "@/lib/jobs/registry";

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

/**
 * Estimated GPU ms for a job: the recent measured average of jobs with the
 * same estimate key, plus a margin; a size-scaled default until there are
 * measurements. The (estimateKey, status, createdAt) index makes this read
 * at most 20 index entries however many jobs the studio has run (it used to
 * filter every completed job's JSON params on each submission).
 */
export async function estimateGpuMs(db: Db, params: TJobParams): Promise<number> {
  const recent = await db.$queryRaw<Array<{ avg: number | null }>>`
    SELECT avg("gpuMs")::float8 AS avg FROM (
      SELECT "gpuMs" FROM "job"
      WHERE "estimateKey" = ${estimateKey(params)} AND status = 'completed' AND "gpuMs" > 0
      ORDER BY "createdAt" DESC LIMIT ${RECENT_JOBS}
    ) AS recent_jobs`;
  const measured = recent[0]?.avg;
  if (measured) return Math.max(1, Math.round(measured * SAFETY_MARGIN));
  const size = outputSize(params);
  const megapixels = (size.width * size.height) / 1_000_000;
  return Math.max(1, Math.round(COLD_MS_PER_MEGAPIXEL[params.quality] * megapixels * imageCount(params)));
}
