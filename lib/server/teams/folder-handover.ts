import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { MAX_FOLDER_NAME } from "@/lib/schemas/gallery";
import { isUniqueViolation } from "./errors";

const ATTEMPTS = 3;

type TTx = Prisma.TransactionClient;

/**
 * Who takes over a leaving member's team folders: another owner of the team
 * if there is one, else the member who joined first. Null when nobody else
 * is left in the team (then nobody could see the folder either).
 */
async function heirOf(tx: TTx, teamId: string, leaverId: string): Promise<string | null> {
  const others = await tx.teamMember.findMany({ where: { teamId, userId: { not: leaverId } }, orderBy: [{ addedAt: "asc" }, { userId: "asc" }], select: { userId: true, role: true } });
  return (others.find((member) => member.role === "owner") ?? others[0])?.userId ?? null;
}

/** `name`, or `name (2)`, `name (3)`, … cut to fit: the first that is not in `taken`. */
function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, MAX_FOLDER_NAME - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function handOver(tx: TTx, leaverId: string): Promise<void> {
  const folders = await tx.folder.findMany({ where: { userId: leaverId, teamId: { not: null } }, orderBy: { id: "asc" }, select: { id: true, name: true, teamId: true } });
  for (const teamId of new Set(folders.map((folder) => folder.teamId!))) {
    const heir = await heirOf(tx, teamId, leaverId);
    if (!heir) continue;
    const moving = folders.filter((candidate) => candidate.teamId === teamId);
    // A folder's name is unique within its maker's folders and within its team: avoid both for the heir
    // (the moving folders' own names are not in the way; each is checked as it is renamed).
    const others = await tx.folder.findMany({ where: { OR: [{ userId: heir }, { teamId }], id: { notIn: moving.map((folder) => folder.id) } }, select: { name: true } });
    const taken = new Set(others.map((row) => row.name));
    for (const folder of moving) {
      const name = freeName(folder.name, taken);
      taken.add(name);
      await tx.folder.update({ where: { id: folder.id }, data: { userId: heir, name } });
    }
  }
}

/**
 * Before an account's rows go (docs/teams.md, "Team folders"): the team
 * folders the user made pass to a teammate, so the team keeps them and the
 * images its other members filed there (`folder.userId` would otherwise
 * cascade). The heir is another owner of the folder's team, else its
 * longest-standing member; a name the heir already uses for a folder of
 * their own gets a " (2)"-style suffix. The user's own images still go with
 * the account, and with them their rows in these folders. Retried when a
 * concurrent folder takes a chosen name.
 */
export async function handTeamFoldersOver(db: Db, leaverId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$transaction((tx) => handOver(tx, leaverId));
      return;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}
