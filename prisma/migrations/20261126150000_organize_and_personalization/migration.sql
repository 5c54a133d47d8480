-- AlterTable
ALTER TABLE "user" ADD COLUMN     "personalize" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "image" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "folder" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "folder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "folder_image" (
    "folderId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "folder_image_pkey" PRIMARY KEY ("folderId","imageId")
);

-- CreateTable
CREATE TABLE "pool_image" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "groupId" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "seed" BIGINT NOT NULL,
    "style" DOUBLE PRECISION[],
    "storageKey" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pool_image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pair_answer" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "leftId" TEXT NOT NULL,
    "rightId" TEXT NOT NULL,
    "choice" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "latencyMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pair_answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profile_version" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "weights" DOUBLE PRECISION[],
    "bias" DOUBLE PRECISION NOT NULL,
    "covariance" DOUBLE PRECISION[],
    "answers" INTEGER NOT NULL,
    "skips" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profile_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "folder_userId_name_key" ON "folder"("userId", "name");

-- CreateIndex
CREATE INDEX "folder_image_imageId_idx" ON "folder_image"("imageId");

-- CreateIndex
CREATE INDEX "pool_image_modelId_groupId_idx" ON "pool_image"("modelId", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "pool_image_modelId_groupId_style_key" ON "pool_image"("modelId", "groupId", "style");

-- CreateIndex
CREATE INDEX "pair_answer_userId_modelId_createdAt_idx" ON "pair_answer"("userId", "modelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "profile_version_code_key" ON "profile_version"("code");

-- CreateIndex
CREATE INDEX "profile_version_userId_modelId_createdAt_idx" ON "profile_version"("userId", "modelId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "folder" ADD CONSTRAINT "folder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "folder_image" ADD CONSTRAINT "folder_image_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "folder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "folder_image" ADD CONSTRAINT "folder_image_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pair_answer" ADD CONSTRAINT "pair_answer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pair_answer" ADD CONSTRAINT "pair_answer_leftId_fkey" FOREIGN KEY ("leftId") REFERENCES "pool_image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pair_answer" ADD CONSTRAINT "pair_answer_rightId_fkey" FOREIGN KEY ("rightId") REFERENCES "pool_image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "profile_version" ADD CONSTRAINT "profile_version_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
