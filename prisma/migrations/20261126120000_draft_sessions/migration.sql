-- CreateTable
CREATE TABLE "draft_session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "draft_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "draft_turn" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "draft_turn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "draft_session_userId_updatedAt_idx" ON "draft_session"("userId", "updatedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "draft_turn_jobId_key" ON "draft_turn"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "draft_turn_sessionId_index_key" ON "draft_turn"("sessionId", "index");

-- AddForeignKey
ALTER TABLE "draft_session" ADD CONSTRAINT "draft_session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_turn" ADD CONSTRAINT "draft_turn_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "draft_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_turn" ADD CONSTRAINT "draft_turn_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "job"("id") ON DELETE SET NULL ON UPDATE CASCADE;
