import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { noSuchTeam } from "./errors";

/**
 * Who may manage a team (its members, its house style): an admin, or an
 * owner of that team. The routes live under /api/v1/admin but are open to
 * signed-in users, so this check (not the path) is what keeps a member or an
 * outsider out. A non-admin asking about a team that is not theirs gets the
 * same 403 whether or not it exists, so the answer reveals no team ids.
 * No `server-only` marker: the house style module, which `--p` resolution
 * reaches from plain-Node code, calls it too.
 */
export async function assertTeamOwnerOrAdmin(
  db: Db,
  actor: { userId: string; role: string },
  teamId: string,
  action: string,
): Promise<{ asAdmin: boolean }> {
  if (actor.role === "admin") {
    if (!(await db.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw noSuchTeam();
    return { asAdmin: true };
  }
  const membership = await db.teamMember.findUnique({ where: { userId: actor.userId }, select: { teamId: true, role: true } });
  if (membership?.teamId !== teamId || membership.role !== "owner") {
    throw new AppError("FORBIDDEN", `Only an admin or an owner of this team can ${action}.`);
  }
  return { asAdmin: false };
}
