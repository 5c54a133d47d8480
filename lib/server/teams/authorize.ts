import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Principal } from "@/lib/server/principal";
import { noSuchTeam } from "./errors";

/**
 * Who may manage a team's members: an admin, or an owner of that team. The
 * member routes live under /api/v1/admin but are open to signed-in users, so
 * this check (not the path) is what keeps a member or an outsider out. A
 * non-admin asking about a team that is not theirs gets the same 403 whether
 * or not it exists, so the answer reveals no team ids.
 */
export async function assertCanManageMembers(db: Db, principal: Principal, teamId: string): Promise<{ asAdmin: boolean }> {
  if (principal.role === "admin") {
    if (!(await db.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw noSuchTeam();
    return { asAdmin: true };
  }
  const membership = await db.teamMember.findUnique({ where: { userId: principal.userId }, select: { teamId: true, role: true } });
  if (membership?.teamId !== teamId || membership.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only an admin or an owner of this team can change its members.");
  }
  return { asAdmin: false };
}
