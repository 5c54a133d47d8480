-- Draft branches and clarifying turns (issue 23): a turn remembers the turn it continued
-- from, and a question back keeps its readings. Existing turns each continued from the one before.
ALTER TABLE "draft_turn" ADD COLUMN "parentId" TEXT;
ALTER TABLE "draft_turn" ADD COLUMN "reply" JSONB;
ALTER TABLE "draft_turn" ADD CONSTRAINT "draft_turn_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "draft_turn"("id") ON DELETE SET NULL ON UPDATE CASCADE;
UPDATE "draft_turn" AS t SET "parentId" = p."id" FROM "draft_turn" AS p WHERE p."sessionId" = t."sessionId" AND p."index" = t."index" - 1;
