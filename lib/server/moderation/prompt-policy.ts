import type { Db } from "@/lib/db/client";
import type { TPromptPolicy } from "@/lib/schemas/moderation";
import type { Principal } from "@/lib/server/principal";
import { recordAudit } from "@/lib/server/audit/record";
import { foldedKey } from "./fold-terms";

/**
 * The studio-wide policy's row. A team's own terms are rows of their own
 * (scope "team:<id>", lib/server/moderation/team-policy.ts) read beside this one.
 */
export const STUDIO_SCOPE = "studio";

export async function getPromptPolicy(db: Db): Promise<TPromptPolicy> {
  const row = await db.promptPolicy.findUnique({ where: { scope: STUDIO_SCOPE }, select: { terms: true, updatedAt: true } });
  return { terms: row?.terms ?? [], updatedAt: row?.updatedAt.toISOString() ?? null };
}

/** Terms that fold to the same words are one entry: the first spelling is kept (a team's terms too). */
export function uniqueTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  return terms.filter((term) => {
    const key = foldedKey(term);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Replaces the studio's blocked terms; the audit event lists what was added and removed. */
export async function updatePromptPolicy(db: Db, actor: Principal, terms: readonly string[]): Promise<TPromptPolicy> {
  const next = uniqueTerms(terms.map((term) => term.trim()));
  return db.$transaction(async (tx) => {
    const before = (await tx.promptPolicy.findUnique({ where: { scope: STUDIO_SCOPE }, select: { terms: true } }))?.terms ?? [];
    const row = await tx.promptPolicy.upsert({
      where: { scope: STUDIO_SCOPE },
      create: { scope: STUDIO_SCOPE, terms: next, updatedById: actor.userId },
      update: { terms: next, updatedById: actor.userId },
      select: { terms: true, updatedAt: true },
    });
    const added = next.filter((term) => !before.includes(term));
    const removed = before.filter((term) => !next.includes(term));
    await recordAudit(tx, { kind: "moderation.policy_changed", actor, detail: { terms: next.length, added: added.slice(0, 50), removed: removed.slice(0, 50) } });
    return { terms: row.terms, updatedAt: row.updatedAt.toISOString() };
  });
}
