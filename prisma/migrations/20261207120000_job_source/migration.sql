-- Which door a job came in by: the studio ("web") or an outside protocol (openai, a1111, mcp).
ALTER TABLE "job" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'web';
