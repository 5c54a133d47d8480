-- AlterTable
ALTER TABLE "image" ADD COLUMN     "likedAt" TIMESTAMP(3);

-- Full-text search over prompts (Organize): an expression index the gallery query uses.
CREATE INDEX "job_prompt_fts_idx" ON "job" USING GIN (to_tsvector('english', "prompt"));
-- The gallery lists a user's images newest first, optionally only liked ones.
CREATE INDEX "image_user_liked_idx" ON "image" ("userId", "likedAt") WHERE "likedAt" IS NOT NULL;
