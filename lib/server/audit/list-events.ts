import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AUDIT_PAGE_SIZE, type TAuditEvent, type TAuditPage, type TAuditQuery } from "@/lib/schemas/audit";
import { toCsv } from "@/lib/server/csv";

const DAY_MS = 86_400_000;
/** One CSV export reads at most this many events (newest first); narrow the dates for more. */
export const MAX_CSV_EVENTS = 50_000;

const SELECT = { id: true, at: true, kind: true, actorId: true, actorEmail: true, subjectId: true, subjectLabel: true, address: true, detail: true } as const;

function whereOf(query: Omit<TAuditQuery, "format" | "cursor">): Prisma.AuditEventWhereInput {
  const at: Prisma.DateTimeFilter = {};
  if (query.from) at.gte = new Date(`${query.from}T00:00:00Z`);
  // `to` is a whole day, inclusive.
  if (query.to) at.lt = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS);
  return {
    ...(query.kind && { kind: query.kind }),
    ...(query.actor && { OR: [{ actorId: query.actor }, { actorEmail: { contains: query.actor, mode: "insensitive" } }] }),
    ...((at.gte || at.lt) && { at }),
  };
}

function toEvent(row: { id: string; at: Date; kind: string; actorId: string | null; actorEmail: string | null; subjectId: string | null; subjectLabel: string | null; address: string | null; detail: unknown }): TAuditEvent {
  const detail = typeof row.detail === "object" && row.detail !== null && !Array.isArray(row.detail) ? (row.detail as Record<string, unknown>) : {};
  return { ...row, at: row.at.toISOString(), detail };
}

/**
 * A page of the audit log, newest first, filtered by kind, actor and days.
 * Ids are uuid v7 (time-ordered), so `id < cursor` continues the same order.
 */
export async function listAuditEvents(db: Db, query: Omit<TAuditQuery, "format">): Promise<TAuditPage> {
  const rows = await db.auditEvent.findMany({
    where: { ...whereOf(query), ...(query.cursor && { id: { lt: query.cursor } }) },
    orderBy: { id: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
    select: SELECT,
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map(toEvent);
  return { events: page, nextCursor: rows.length > AUDIT_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null };
}

/** The filtered log as CSV (UTC ISO times, detail as JSON), newest first. */
export async function auditEventsCsv(db: Db, query: Omit<TAuditQuery, "format" | "cursor">): Promise<string> {
  const rows = await db.auditEvent.findMany({ where: whereOf(query), orderBy: { id: "desc" }, take: MAX_CSV_EVENTS, select: SELECT });
  return toCsv(
    ["at", "kind", "actor_id", "actor_email", "subject_id", "subject", "address", "detail"],
    rows.map((row) => [row.at.toISOString(), row.kind, row.actorId, row.actorEmail, row.subjectId, row.subjectLabel, row.address, JSON.stringify(row.detail)]),
  );
}
