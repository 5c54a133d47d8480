-- Job types are declared by the job kind registry (lib/jobs/registry.ts), not
-- by a database enum: adding a kind must not need a migration. The stored
-- values are unchanged ('imagine', 'vary-subtle', …, 'rerun').
ALTER TABLE "job" ALTER COLUMN "type" TYPE TEXT USING "type"::text;
DROP TYPE "job_type";
