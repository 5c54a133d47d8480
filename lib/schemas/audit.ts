import { z } from "zod";
import { dayString, safeText, ZCursor } from "./common";

/**
 * The kinds of audit event (docs/operations-metrics-audit.md §2). Stored as
 * text; the list here is what the admin filter offers and what the writers
 * may use, so a kind is added in one place.
 */
export const AUDIT_KINDS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "user.role_changed",
  "user.plan_changed",
  "user.disabled",
  "user.enabled",
  "user.fast_time_granted",
  "plan.changed",
  "settings.changed",
  "token.created",
  "token.revoked",
  "moderation.policy_changed",
  "moderation.prompt_refused",
  // Team management (docs/teams.md, Managing teams).
  "team.created",
  "team.renamed",
  "team.plan_changed",
  "team.deleted",
  "team.member_added",
  "team.member_removed",
  "team.member_role_changed",
  "team.fast_time_granted",
  "team.policy_changed",
  // House style (docs/teams.md, House style; tests/integration/house-style.test.ts checks each).
  "team.house_style.pooled",
  "team.house_style.adjusted",
  "team.house_style.pinned",
  "team.house_style.unpinned",
] as const;
export const ZAuditKind = z.enum(AUDIT_KINDS);
export type TAuditKind = z.infer<typeof ZAuditKind>;

export const ZAuditEvent = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    kind: z.string(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    subjectId: z.string().nullable(),
    subjectLabel: z.string().nullable(),
    address: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "AuditEvent" });
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

export const AUDIT_PAGE_SIZE = 50;

export const ZAuditQuery = z
  .object({
    kind: ZAuditKind.optional(),
    /** Matches the actor's email (part of it, any case) or their exact id. */
    actor: safeText("actor", 200).optional(),
    /** Inclusive calendar days (UTC). */
    from: dayString("from").optional(),
    to: dayString("to").optional(),
    cursor: ZCursor.optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { error: "from must be on or before to", path: ["from"] });
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAuditPage = z
  .object({ events: z.array(ZAuditEvent), nextCursor: z.string().nullable() })
  .meta({ id: "AuditPage" });
export type TAuditPage = z.infer<typeof ZAuditPage>;
