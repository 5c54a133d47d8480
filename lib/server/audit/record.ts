import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import type { TAuditKind } from "@/lib/schemas/audit";

/** Who did it: a signed-in principal, or a user id (the email is looked up). */
export interface AuditActor {
  userId: string;
  email?: string;
}

export interface AuditInput {
  kind: TAuditKind;
  actor?: AuditActor | null;
  /** The account or object acted on: a user id (its email is looked up for the label), a plan, a token. */
  subject?: { id: string; label?: string; isUser?: boolean } | null;
  /** The client address, for sign-ins (lib/auth/client-address.ts). */
  address?: string | null;
  /** Facts of this kind of event; never secrets, passwords or prompt text. */
  detail?: Record<string, unknown>;
}

/**
 * Appends one audit event. Writes only: the table has no update or delete
 * path and a trigger refuses one (docs/operations-metrics-audit.md §2). Pass
 * the transaction of the change it records, so the change and its record
 * commit together.
 */
export async function recordAudit(db: Db | Prisma.TransactionClient, input: AuditInput): Promise<void> {
  const lookUp = [input.actor && !input.actor.email ? input.actor.userId : null, input.subject?.isUser && !input.subject.label ? input.subject.id : null].filter(
    (id): id is string => id !== null,
  );
  const emails = lookUp.length > 0 ? new Map((await db.user.findMany({ where: { id: { in: lookUp } }, select: { id: true, email: true } })).map((user) => [user.id, user.email])) : new Map<string, string>();
  await db.auditEvent.create({
    data: {
      kind: input.kind,
      actorId: input.actor?.userId ?? null,
      actorEmail: input.actor ? (input.actor.email ?? emails.get(input.actor.userId) ?? null) : null,
      subjectId: input.subject?.id ?? null,
      subjectLabel: input.subject ? (input.subject.label ?? emails.get(input.subject.id) ?? null) : null,
      address: input.address ?? null,
      detail: (input.detail ?? {}) as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
}
