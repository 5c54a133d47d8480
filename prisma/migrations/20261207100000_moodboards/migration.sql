-- Moodboards (docs/references.md §5): named sets of a user's images whose mean style is a profile.

-- CreateTable
CREATE TABLE "moodboard" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "moodboard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moodboard_item" (
    "id" TEXT NOT NULL,
    "moodboardId" TEXT NOT NULL,
    "uploadId" TEXT,
    "imageId" TEXT,
    "storageKey" TEXT NOT NULL,
    "style" DOUBLE PRECISION[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moodboard_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "moodboard_code_key" ON "moodboard"("code");

-- CreateIndex
CREATE INDEX "moodboard_userId_createdAt_idx" ON "moodboard"("userId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "moodboard_item_moodboardId_uploadId_key" ON "moodboard_item"("moodboardId", "uploadId");

-- CreateIndex
CREATE UNIQUE INDEX "moodboard_item_moodboardId_imageId_key" ON "moodboard_item"("moodboardId", "imageId");

-- AddForeignKey
ALTER TABLE "moodboard" ADD CONSTRAINT "moodboard_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moodboard_item" ADD CONSTRAINT "moodboard_item_moodboardId_fkey" FOREIGN KEY ("moodboardId") REFERENCES "moodboard"("id") ON DELETE CASCADE ON UPDATE CASCADE;
