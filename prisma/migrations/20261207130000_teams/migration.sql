-- Teams (docs/teams.md): members, a shared fast-time pool moved by ledger rows with teamId set, team folders, and house-style versions.
-- CreateEnum
CREATE TYPE "team_role" AS ENUM ('owner', 'member');

-- AlterTable
ALTER TABLE "ledger_entry" ADD COLUMN     "teamId" TEXT;

-- AlterTable
ALTER TABLE "folder" ADD COLUMN     "teamId" TEXT;

-- CreateTable
CREATE TABLE "team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "planId" TEXT,
    "houseStyleId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_member" (
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "role" "team_role" NOT NULL DEFAULT 'member',
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_member_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "team_pool" (
    "teamId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "allowanceMs" BIGINT NOT NULL,
    "grantedMs" BIGINT NOT NULL DEFAULT 0,
    "heldMs" BIGINT NOT NULL DEFAULT 0,
    "usedMs" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "team_pool_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "team_style" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "axes" DOUBLE PRECISION[],
    "sources" JSONB NOT NULL DEFAULT '{}',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_style_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "team_name_key" ON "team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "team_houseStyleId_key" ON "team"("houseStyleId");

-- CreateIndex
CREATE INDEX "team_member_teamId_idx" ON "team_member"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "team_style_code_key" ON "team_style"("code");

-- CreateIndex
CREATE INDEX "team_style_teamId_createdAt_idx" ON "team_style"("teamId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ledger_entry_teamId_createdAt_idx" ON "ledger_entry"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "folder_teamId_name_key" ON "folder"("teamId", "name");

-- AddForeignKey
ALTER TABLE "folder" ADD CONSTRAINT "folder_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team" ADD CONSTRAINT "team_planId_fkey" FOREIGN KEY ("planId") REFERENCES "plan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team" ADD CONSTRAINT "team_houseStyleId_fkey" FOREIGN KEY ("houseStyleId") REFERENCES "team_style"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_member" ADD CONSTRAINT "team_member_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_member" ADD CONSTRAINT "team_member_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_pool" ADD CONSTRAINT "team_pool_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_style" ADD CONSTRAINT "team_style_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

