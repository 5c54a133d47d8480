-- Audit log of admin and security events, and the admin-editable prompt policy (issue 26).

-- CreateTable
CREATE TABLE "audit_event" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "subjectId" TEXT,
    "subjectLabel" TEXT,
    "address" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prompt_policy" (
    "scope" TEXT NOT NULL,
    "terms" TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "prompt_policy_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_event_kind_at_idx" ON "audit_event"("kind", "at" DESC);

-- CreateIndex
CREATE INDEX "audit_event_actorId_at_idx" ON "audit_event"("actorId", "at" DESC);

-- Append-only: the application has no update or delete path, and the database
-- refuses one too, so a compromised or buggy process cannot rewrite history.
-- The body's semicolons are written \x3B: Prisma's driver-adapter migrator
-- splits a script at every semicolon, dollar quotes included.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''audit_event is append-only: % is not allowed'', TG_OP USING ERRCODE = ''insufficient_privilege''\x3B END';

CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- /metrics observes the jobs started since its previous scrape (queue wait).
CREATE INDEX "job_startedAt_idx" ON "job"("startedAt");
