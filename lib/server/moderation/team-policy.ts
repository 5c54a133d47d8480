import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Principal } from "@/lib/server/principal";
import { recordAudit } from "@/lib/server/audit/record";
import { uniqueTerms } from "./prompt-policy";

/**
 * A team's own blocked terms (docs/teams.md, Managing teams): a PromptPolicy
 * row with scope "team:<id>", checked together with the studio's for the
 * team's members. No foreign key to the team, so deleting a team deletes its
 * row explicitly (lib/server/teams/manage-teams.ts).
 */
export function teamPolicyScope(teamId: string): string {
  return `team:${teamId}`;
}

/** Replaces a team's blocked terms (admins); the audit event lists what was added and removed. */
export async function updateTeamPolicy(db: Db, actor: Principal, teamId: string, terms: readonly string[]): Promise<void> {
  const next = uniqueTerms(terms.map((term) => term.trim()));
  const scope = teamPolicyScope(teamId);
  await db.$transaction(async (tx) => {
    // FOR SHARE: the team cannot be deleted between this check and the write, which would leave a row for no team.
    const [team] = await tx.$queryRaw<Array<{ name: string }>>`SELECT name FROM "team" WHERE id = ${teamId} FOR SHARE`;
    if (!team) throw new AppError("NOT_FOUND", "No such team. It may have been deleted; reload the list of teams.");
    const before = (await tx.promptPolicy.findUnique({ where: { scope }, select: { terms: true } }))?.terms ?? [];
    await tx.promptPolicy.upsert({ where: { scope }, create: { scope, terms: next, updatedById: actor.userId }, update: { terms: next, updatedById: actor.userId } });
    await recordAudit(tx, {
      kind: "team.policy_changed",
      actor,
      subject: { id: teamId, label: team.name },
      detail: { terms: next.length, added: next.filter((term) => !before.includes(term)).slice(0, 50), removed: before.filter((term) => !next.includes(term)).slice(0, 50) },
    });
  });
}
