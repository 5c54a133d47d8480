import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TTeamMember, TTeamRole } from "@/lib/schemas/teams";
import { recordAudit } from "@/lib/server/audit/record";
import type { Principal } from "@/lib/server/principal";
import { assertTeamOwnerOrAdmin } from "./authorize";
import { isUniqueViolation } from "./errors";
import { listTeamMembers } from "./read-teams";

/**
 * Team membership changes: by an admin, or by an owner of the team
 * (assertTeamOwnerOrAdmin). A user is in at most one team (team_member's key
 * is the user), so adding someone who is in another team is a conflict that
 * names that team rather than a silent move.
 */

async function teamName(db: Db, teamId: string): Promise<string> {
  return (await db.team.findUnique({ where: { id: teamId }, select: { name: true } }))?.name ?? teamId;
}

/** An owner may not demote or remove themselves: the team would be left to an admin by accident. */
function assertNotOwnSeat(principal: Principal, asAdmin: boolean, userId: string, what: string): void {
  if (!asAdmin && principal.userId === userId) {
    throw new AppError("FORBIDDEN", `You cannot ${what} yourself as the team's owner. Ask another owner or an admin.`);
  }
}

export async function addTeamMember(db: Db, principal: Principal, teamId: string, input: { email: string; role: TTeamRole }): Promise<TTeamMember[]> {
  await assertTeamOwnerOrAdmin(db, principal, teamId, "change its members");
  const user = await db.user.findFirst({
    where: { email: { equals: input.email, mode: "insensitive" } },
    select: { id: true, email: true, teamMember: { select: { teamId: true, team: { select: { name: true } } } } },
  });
  if (!user) throw new AppError("NOT_FOUND", `No account uses ${input.email}. They need to sign up first; then add them.`);
  const name = await teamName(db, teamId);
  const conflict = (existing: { teamId: string; team: { name: string } }) =>
    new AppError(
      "CONFLICT",
      existing.teamId === teamId
        ? `${user.email} is already a member of ${name}.`
        : `${user.email} is already a member of team "${existing.team.name}". A user belongs to one team: remove them there first.`,
    );
  if (user.teamMember) throw conflict(user.teamMember);
  try {
    await db.$transaction(async (tx) => {
      await tx.teamMember.create({ data: { userId: user.id, teamId, role: input.role } });
      await recordAudit(tx, { kind: "team.member_added", actor: principal, subject: { id: user.id, label: user.email }, detail: { teamId, team: name, role: input.role } });
    });
  } catch (error) {
    // Two admins adding the same person at once: the key says no; name the team that won.
    if (!isUniqueViolation(error)) throw error;
    const existing = await db.teamMember.findUnique({ where: { userId: user.id }, select: { teamId: true, team: { select: { name: true } } } });
    throw existing ? conflict(existing) : error;
  }
  return listTeamMembers(db, teamId);
}

async function memberOf(db: Db, teamId: string, userId: string) {
  const member = await db.teamMember.findUnique({ where: { userId }, select: { teamId: true, role: true, user: { select: { email: true } } } });
  if (member?.teamId !== teamId) throw new AppError("NOT_FOUND", "That user is not a member of this team.");
  return member;
}

export async function setTeamMemberRole(db: Db, principal: Principal, teamId: string, userId: string, role: TTeamRole): Promise<TTeamMember[]> {
  const { asAdmin } = await assertTeamOwnerOrAdmin(db, principal, teamId, "change its members");
  assertNotOwnSeat(principal, asAdmin, userId, "change the role of");
  const member = await memberOf(db, teamId, userId);
  if (member.role !== role) {
    await db.$transaction(async (tx) => {
      // updateMany with the team in the filter: a member removed meanwhile is a 404, not a Prisma error.
      if ((await tx.teamMember.updateMany({ where: { userId, teamId }, data: { role } })).count === 0) throw new AppError("NOT_FOUND", "That user is not a member of this team.");
      await recordAudit(tx, { kind: "team.member_role_changed", actor: principal, subject: { id: userId, label: member.user.email }, detail: { teamId, team: await teamName(db, teamId), from: member.role, to: role } });
    });
  }
  return listTeamMembers(db, teamId);
}

/** Removes a member. Jobs already held on the pool still settle against it; new ones use the user's own time. */
export async function removeTeamMember(db: Db, principal: Principal, teamId: string, userId: string): Promise<void> {
  const { asAdmin } = await assertTeamOwnerOrAdmin(db, principal, teamId, "change its members");
  assertNotOwnSeat(principal, asAdmin, userId, "remove");
  const member = await memberOf(db, teamId, userId);
  const name = await teamName(db, teamId);
  await db.$transaction(async (tx) => {
    if ((await tx.teamMember.deleteMany({ where: { userId, teamId } })).count === 0) throw new AppError("NOT_FOUND", "That user is not a member of this team.");
    await recordAudit(tx, { kind: "team.member_removed", actor: principal, subject: { id: userId, label: member.user.email }, detail: { teamId, team: name, role: member.role } });
  });
}
