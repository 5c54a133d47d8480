import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TTeamDetail } from "@/lib/schemas/teams";
import { grantTeamFastTime } from "@/lib/server/accounting/ledger";
import { MS_PER_HOUR } from "@/lib/server/accounting/rates";
import { lockTeamPool } from "@/lib/server/accounting/team-pool";
import { recordAudit } from "@/lib/server/audit/record";
import { teamPolicyScope } from "@/lib/server/moderation/team-policy";
import { getPlanIdByName } from "@/lib/server/plans";
import type { Principal } from "@/lib/server/principal";
import { duplicateTeamName, isUniqueViolation, noSuchTeam } from "./errors";
import { getTeamDetail } from "./read-teams";

type Tx = Prisma.TransactionClient;

/**
 * Admins' changes to teams (docs/teams.md, Managing teams). The routes that
 * call these are admin-only by contract; each change and its audit event
 * commit in one transaction.
 */

async function planIdOf(db: Db, plan: string | null | undefined): Promise<string | null | undefined> {
  if (plan === undefined || plan === null) return plan;
  return getPlanIdByName(db, plan);
}

/**
 * A team's pool after its plan changed: a raise applies to the current
 * period at once, a cut only from the next (as a user's plan), so a pool
 * never ends up owing time its members already spent or reserved. The lock
 * creates the pool from the new plan when it has none yet.
 */
async function applyPlanToPool(tx: Tx, teamId: string): Promise<void> {
  const pool = await lockTeamPool(tx, teamId);
  if (!pool) return;
  await tx.$executeRaw`
    UPDATE "team_pool" p SET "allowanceMs" = GREATEST(p."allowanceMs", pl."fastMsPerMonth"), "updatedAt" = now()
      FROM "team" t JOIN "plan" pl ON pl.id = t."planId"
     WHERE p."teamId" = ${teamId} AND t.id = p."teamId"`;
}

export async function createTeam(db: Db, actor: Principal, input: { name: string; plan?: string | null }): Promise<TTeamDetail> {
  const planId = await planIdOf(db, input.plan);
  try {
    const team = await db.$transaction(async (tx) => {
      const created = await tx.team.create({ data: { name: input.name, planId: planId ?? null }, select: { id: true } });
      if (planId) await applyPlanToPool(tx, created.id);
      await recordAudit(tx, { kind: "team.created", actor, subject: { id: created.id, label: input.name }, detail: { plan: input.plan ?? null } });
      return created;
    });
    return getTeamDetail(db, team.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateTeamName(input.name);
    throw error;
  }
}

/** Renames a team and/or sets or clears its plan. */
export async function updateTeam(db: Db, actor: Principal, teamId: string, input: { name?: string; plan?: string | null }): Promise<TTeamDetail> {
  const planId = await planIdOf(db, input.plan);
  try {
    await db.$transaction(async (tx) => {
      const before = await tx.team.findUnique({ where: { id: teamId }, select: { name: true, planId: true, plan: { select: { name: true } } } });
      if (!before) throw noSuchTeam();
      const after = await tx.team.update({ where: { id: teamId }, data: { name: input.name, planId }, select: { name: true, planId: true, plan: { select: { name: true } } } });
      if (after.name !== before.name) {
        await recordAudit(tx, { kind: "team.renamed", actor, subject: { id: teamId, label: after.name }, detail: { from: before.name, to: after.name } });
      }
      if (after.planId !== before.planId) {
        // Clearing the plan leaves the pool as it is: members stop drawing on it, and jobs it already holds settle against it.
        if (after.planId) await applyPlanToPool(tx, teamId);
        await recordAudit(tx, { kind: "team.plan_changed", actor, subject: { id: teamId, label: after.name }, detail: { from: before.plan?.name ?? null, to: after.plan?.name ?? null } });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.name) throw duplicateTeamName(input.name);
    throw error;
  }
  return getTeamDetail(db, teamId);
}

/**
 * Deletes a team: its memberships, pool, styles, folders and policy terms.
 * Refused while jobs held on its pool are still queued or running, so no
 * job finishes against a pool that is gone. The pool's row is locked first:
 * a member's submission takes that lock to reserve on it, so none can slip
 * in between the check and the delete.
 */
export async function deleteTeam(db: Db, actor: Principal, teamId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const [team] = await tx.$queryRaw<Array<{ name: string }>>`SELECT name FROM "team" WHERE id = ${teamId} FOR UPDATE`;
    if (!team) throw noSuchTeam();
    await tx.$queryRaw`SELECT 1 FROM "team_pool" WHERE "teamId" = ${teamId} FOR UPDATE`;
    const [open] = await tx.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM "ledger_entry" h JOIN "job" j ON j.id = h."jobId"
       WHERE h."teamId" = ${teamId} AND h.kind = 'hold' AND j.status IN ('queued', 'running')`;
    if ((open?.count ?? 0) > 0) {
      throw new AppError(
        "CONFLICT",
        `Team "${team.name}" still has ${open?.count} job${open?.count === 1 ? "" : "s"} queued or running on its pool. Wait for them to finish (or cancel them), then delete the team.`,
      );
    }
    const members = await tx.teamMember.count({ where: { teamId } });
    await tx.promptPolicy.deleteMany({ where: { scope: teamPolicyScope(teamId) } });
    await tx.team.delete({ where: { id: teamId } });
    await recordAudit(tx, { kind: "team.deleted", actor, subject: { id: teamId, label: team.name }, detail: { members } });
  });
}

/** Extra fast time for the team's pool this period. A team without a plan has no pool to grant to. */
export async function grantTeamHours(db: Db, actor: Principal, teamId: string, input: { hours: number; note?: string }): Promise<TTeamDetail> {
  await db.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: teamId }, select: { name: true, planId: true } });
    if (!team) throw noSuchTeam();
    if (team.planId === null) {
      throw new AppError("CONFLICT", `Team "${team.name}" has no plan, so it has no pool to grant hours to. Set a plan first, or grant the hours to members one by one.`);
    }
    if (!(await grantTeamFastTime(tx, { teamId, amountMs: BigInt(Math.round(input.hours * MS_PER_HOUR)), actorId: actor.userId, note: input.note }))) throw noSuchTeam();
    await recordAudit(tx, { kind: "team.fast_time_granted", actor, subject: { id: teamId, label: team.name }, detail: { hours: input.hours, ...(input.note && { note: input.note }) } });
  });
  return getTeamDetail(db, teamId);
}
