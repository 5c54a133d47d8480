-- AlterTable
ALTER TABLE "job" ADD COLUMN     "estimateKey" TEXT;

-- Backfill: the same key lib/server/accounting/estimate.ts (estimateKey) writes
-- for new jobs, so existing measurements keep informing estimates.
UPDATE "job" SET "estimateKey" = concat_ws('|',
  "modelId",
  params->>'kind',
  params->>'quality',
  COALESCE(params->>'mode', params->>'strength', ''),
  COALESCE(params->>'width', params->'source'->>'width') || 'x' || COALESCE(params->>'height', params->'source'->>'height'))
WHERE params ? 'kind';

-- CreateIndex
CREATE INDEX "job_estimateKey_status_createdAt_idx" ON "job"("estimateKey", "status", "createdAt" DESC);
