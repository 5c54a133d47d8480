import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TeamPool } from "@/lib/generated/prisma/client";
import type { TMyTeam, TTeamDetail, TTeamMember, TTeamPool, TTeamSummary } from "@/lib/schemas/teams";
import { availableMs } from "@/lib/server/accounting/account";
import { lockTeamPool } from "@/lib/server/accounting/team-pool";
import { teamPolicyScope } from "@/lib/server/moderation/team-policy";

function poolView(pool: TeamPool): TTeamPool {
  return {
    periodStart: pool.periodStart.toISOString(),
    periodEnd: pool.periodEnd.toISOString(),
    allowanceMs: Number(pool.allowanceMs),
    grantedMs: Number(pool.grantedMs),
    heldMs: Number(pool.heldMs),
    usedMs: Number(pool.usedMs),
    remainingMs: Number(availableMs(pool)),
  };
}

/**
 * The pool's figures for the current period, or null for a team without a
 * plan (it has no pool). Read under the pool's lock, as getUsage reads a
 * user's account: the lock creates the pool or rolls it into this month
 * first, so the figures are this period's and not last month's leftovers.
 * One short transaction per team, so a submission waits at most for one read.
 */
export async function readTeamPool(db: Db, team: { id: string; planId: string | null }): Promise<TTeamPool | null> {
  if (team.planId === null) return null;
  const pool = await db.$transaction((tx) => lockTeamPool(tx, team.id));
  return pool ? poolView(pool) : null;
}

const SUMMARY_SELECT = { id: true, name: true, planId: true, createdAt: true, plan: { select: { name: true } }, _count: { select: { members: true } } } as const;

async function summaryOf(db: Db, team: { id: string; name: string; planId: string | null; createdAt: Date; plan: { name: string } | null; _count: { members: number } }): Promise<TTeamSummary> {
  return {
    id: team.id,
    name: team.name,
    plan: team.plan?.name ?? null,
    memberCount: team._count.members,
    pool: await readTeamPool(db, team),
    createdAt: team.createdAt.toISOString(),
  };
}

/** Every team with its member count, plan and pool figures, by name. */
export async function listTeams(db: Db): Promise<TTeamSummary[]> {
  const teams = await db.team.findMany({ orderBy: { name: "asc" }, select: SUMMARY_SELECT });
  const summaries: TTeamSummary[] = [];
  // One after another: each read takes its pool's lock briefly, and a page of teams should not take the whole connection pool.
  for (const team of teams) summaries.push(await summaryOf(db, team));
  return summaries;
}

export async function listTeamMembers(db: Db, teamId: string): Promise<TTeamMember[]> {
  const members = await db.teamMember.findMany({
    where: { teamId },
    orderBy: [{ role: "asc" }, { addedAt: "asc" }],
    select: { userId: true, role: true, addedAt: true, user: { select: { email: true, name: true } } },
  });
  return members.map((member) => ({ userId: member.userId, email: member.user.email, name: member.user.name, role: member.role, addedAt: member.addedAt.toISOString() }));
}

/** A team with its members and its own policy terms (admins). */
export async function getTeamDetail(db: Db, teamId: string): Promise<TTeamDetail> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: SUMMARY_SELECT });
  if (!team) throw new AppError("NOT_FOUND", "No such team. It may have been deleted; reload the list of teams.");
  const [summary, members, policy] = await Promise.all([
    summaryOf(db, team),
    listTeamMembers(db, teamId),
    db.promptPolicy.findUnique({ where: { scope: teamPolicyScope(teamId) }, select: { terms: true, updatedAt: true } }),
  ]);
  return { ...summary, members, policy: { terms: policy?.terms ?? [], updatedAt: policy?.updatedAt.toISOString() ?? null } };
}

/** The signed-in user's team for Account, or null when they are in none; owners also get the member list. */
export async function getMyTeam(db: Db, userId: string): Promise<TMyTeam | null> {
  const membership = await db.teamMember.findUnique({ where: { userId }, select: { role: true, team: { select: SUMMARY_SELECT } } });
  if (!membership) return null;
  const [team, members] = await Promise.all([
    summaryOf(db, membership.team),
    membership.role === "owner" ? listTeamMembers(db, membership.team.id) : Promise.resolve(null),
  ]);
  return { team, role: membership.role, members };
}
