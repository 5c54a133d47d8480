-- CreateEnum
CREATE TYPE "ledger_kind" AS ENUM ('grant', 'hold', 'settle', 'release');

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "disabledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "job" ADD COLUMN     "chargedMs" INTEGER,
ADD COLUMN     "estimateMs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "multiplier" DOUBLE PRECISION NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "usage_account" (
    "userId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "allowanceMs" BIGINT NOT NULL,
    "grantedMs" BIGINT NOT NULL DEFAULT 0,
    "heldMs" BIGINT NOT NULL DEFAULT 0,
    "usedMs" BIGINT NOT NULL DEFAULT 0,
    "relaxMs" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "usage_account_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "jobId" TEXT,
    "kind" "ledger_kind" NOT NULL,
    "amountMs" BIGINT NOT NULL,
    "multiplier" DOUBLE PRECISION,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gpu_usage" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "workerId" TEXT NOT NULL,
    "gpuMs" INTEGER,
    "wallMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gpu_usage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_entry_userId_createdAt_idx" ON "ledger_entry"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_jobId_kind_key" ON "ledger_entry"("jobId", "kind");

-- CreateIndex
CREATE INDEX "gpu_usage_createdAt_idx" ON "gpu_usage"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "gpu_usage_jobId_attempt_key" ON "gpu_usage"("jobId", "attempt");

-- AddForeignKey
ALTER TABLE "usage_account" ADD CONSTRAINT "usage_account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_usage" ADD CONSTRAINT "gpu_usage_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Never overdraw, never go negative: the database refuses any update that would.
ALTER TABLE "usage_account" ADD CONSTRAINT "usage_account_nonnegative"
  CHECK ("heldMs" >= 0 AND "usedMs" >= 0 AND "grantedMs" >= 0 AND "relaxMs" >= 0 AND "allowanceMs" >= 0);
ALTER TABLE "usage_account" ADD CONSTRAINT "usage_account_no_overdraw"
  CHECK ("allowanceMs" + "grantedMs" - "heldMs" - "usedMs" >= 0);
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_amount_nonnegative" CHECK ("amountMs" >= 0);
