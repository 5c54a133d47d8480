import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ZSmartQuery, type TFolder, type TSmartQuery } from "@/lib/schemas/gallery";
import { notOwnImageError } from "./image-access";

const MAX_FOLDERS = 500;

interface FolderRow {
  id: string;
  name: string;
  query: Prisma.JsonValue;
  createdAt: Date;
  userId: string;
  team: { id: string; name: string; members: Array<{ role: string }> } | null;
  _count?: { images: number };
}

/** What a folder read needs, for its answer and for deciding who may change it. */
function folderSelect(userId: string) {
  return {
    id: true,
    name: true,
    query: true,
    createdAt: true,
    userId: true,
    // The caller's own membership row only: enough to know whether they own the team.
    team: { select: { id: true, name: true, members: { where: { userId }, select: { role: true } } } },
    // Live images whose owner is the caller or in the caller's team: a personal folder holds only the caller's
    // images, and a team folder's count leaves out those of members who have left (docs/teams.md).
    _count: { select: { images: { where: { image: { deletedAt: null, user: { OR: [{ id: userId }, { teamMember: { team: { members: { some: { userId } } } } }] } } } } } },
  } satisfies Prisma.FolderSelect;
}

/**
 * The folders a user sees: their own (not team) folders and every folder of
 * the team they are in now. A team folder the user made stays the team's
 * when they leave; it is then no longer theirs to see.
 */
function visibleFolders(userId: string): Prisma.FolderWhereInput {
  return { OR: [{ userId, teamId: null }, { team: { members: { some: { userId } } } }] };
}

function canManage(row: FolderRow, userId: string, isAdmin: boolean): boolean {
  return row.userId === userId || (row.team !== null && (row.team.members[0]?.role === "owner" || isAdmin));
}

function toFolder(row: FolderRow, userId: string, isAdmin = false): TFolder {
  const saved = row.query === null ? null : ZSmartQuery.safeParse(row.query);
  return {
    id: row.id,
    name: row.name,
    query: saved === null ? null : saved.success ? saved.data : {},
    imageCount: row.query === null ? (row._count?.images ?? 0) : null,
    team: row.team && { id: row.team.id, name: row.team.name },
    canManage: canManage(row, userId, isAdmin),
    createdAt: row.createdAt.toISOString(),
  };
}

/** A studio admin in the team manages its folders like the team's owner (asked only when it matters). */
async function isAdmin(db: Db, userId: string): Promise<boolean> {
  return (await db.user.findUnique({ where: { id: userId }, select: { role: true } }))?.role === "admin";
}

/**
 * Validates a saved search when it is saved, whoever the caller: a query that
 * Postgres would refuse (a NUL in `q`, year 0 in `from`) stored here would
 * make every later listing of the folder fail. Empty values are dropped so a
 * saved search is stored (and compared) in one shape.
 */
function cleanQuery(query: TSmartQuery): Prisma.InputJsonObject {
  const parsed = ZSmartQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("BAD_REQUEST", `Invalid saved search — ${issue ? `${issue.path.join(".") || "query"}: ${issue.message}` : "query"}`);
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined && value !== "")) as Prisma.InputJsonObject;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Names are unique per creator and per team; the message says which list already has it. */
function duplicateName(name: string, team: boolean) {
  return new AppError("CONFLICT", team ? `You or your team already have a folder named "${name}". Pick another name.` : `You already have a folder named "${name}". Pick another name.`);
}

export async function listFolders(db: Db, userId: string): Promise<TFolder[]> {
  const rows = await db.folder.findMany({ where: visibleFolders(userId), orderBy: { name: "asc" }, select: folderSelect(userId) });
  const admin = rows.some((row) => row.team !== null && row.userId !== userId && row.team.members[0]?.role !== "owner") && (await isAdmin(db, userId));
  return rows.map((row) => toFolder(row, userId, admin));
}

/** The folder list with the team the user is in (whose folders they see, and may make). */
export async function listFolderView(db: Db, userId: string): Promise<{ folders: TFolder[]; team: { id: string; name: string } | null }> {
  const [folders, membership] = await Promise.all([
    listFolders(db, userId),
    db.teamMember.findUnique({ where: { userId }, select: { team: { select: { id: true, name: true } } } }),
  ]);
  return { folders, team: membership?.team ?? null };
}

/**
 * A folder by hand (no query) or a smart folder (a saved search, validated
 * like GET /api/v1/images). With `team`, a hand-made folder of the caller's
 * team: a smart folder would show each viewer their own search results, so
 * it could not be shared.
 */
export async function createFolder(db: Db, userId: string, input: { name: string; query?: TSmartQuery; team?: boolean }): Promise<TFolder> {
  let teamId: string | null = null;
  if (input.team) {
    if (input.query) throw new AppError("BAD_REQUEST", "A team folder is filled by hand, so it cannot have a saved search (query). Leave out query or team.");
    const membership = await db.teamMember.findUnique({ where: { userId }, select: { teamId: true } });
    if (!membership) throw new AppError("FORBIDDEN", "You are not in a team, so there is no one to share a team folder with. Make a folder of your own instead.");
    teamId = membership.teamId;
    if ((await db.folder.count({ where: { teamId } })) >= MAX_FOLDERS) throw new AppError("CONFLICT", `Your team has ${MAX_FOLDERS} folders, the most allowed. Delete one first.`);
  }
  if ((await db.folder.count({ where: { userId } })) >= MAX_FOLDERS) throw new AppError("CONFLICT", `You have ${MAX_FOLDERS} folders, the most allowed. Delete one first.`);
  try {
    const row = await db.folder.create({
      data: { userId, teamId, name: input.name, query: input.query ? cleanQuery(input.query) : Prisma.DbNull },
      select: folderSelect(userId),
    });
    return toFolder(row, userId);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name, teamId !== null);
    throw error;
  }
}

/**
 * A folder the user sees (their own, or their current team's), with whether
 * they may manage it. Anyone else's, or a team folder of a team they are not
 * (or no longer) in, is 404: it is not theirs to know about.
 */
async function visibleFolder(db: Db, userId: string, folderId: string) {
  const row = await db.folder.findFirst({ where: { id: folderId, ...visibleFolders(userId) }, select: folderSelect(userId) });
  if (!row) throw new AppError("NOT_FOUND", "No such folder.");
  const admin = row.team !== null && !canManage(row, userId, false) && (await isAdmin(db, userId));
  return { row, admin, manage: canManage(row, userId, admin) };
}

function requireManage(folder: { manage: boolean }, what: string): void {
  if (!folder.manage) throw new AppError("FORBIDDEN", `Only the member who made this team folder, the team's owner or an admin can ${what} it.`);
}

/** Rename, and for a smart folder change its saved search (`query: null` turns it into a plain folder). */
export async function updateFolder(db: Db, userId: string, folderId: string, input: { name?: string; query?: TSmartQuery | null }): Promise<TFolder> {
  const folder = await visibleFolder(db, userId, folderId);
  requireManage(folder, "rename");
  if (folder.row.team && input.query) throw new AppError("BAD_REQUEST", "A team folder is filled by hand, so it cannot have a saved search (query).");
  const data: Prisma.FolderUpdateManyMutationInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.query !== undefined) data.query = input.query === null ? Prisma.DbNull : cleanQuery(input.query);
  try {
    const { count } = await db.folder.updateMany({ where: { id: folderId }, data });
    if (count === 0) throw new AppError("NOT_FOUND", "No such folder.");
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name ?? "", folder.row.team !== null);
    throw error;
  }
  const row = await db.folder.findFirst({ where: { id: folderId, ...visibleFolders(userId) }, select: folderSelect(userId) });
  if (!row) throw new AppError("NOT_FOUND", "No such folder.");
  return toFolder(row, userId, folder.admin);
}

/** Deletes the folder only; its images stay in the gallery (and in other folders). */
export async function deleteFolder(db: Db, userId: string, folderId: string): Promise<void> {
  const folder = await visibleFolder(db, userId, folderId);
  requireManage(folder, "delete");
  const { count } = await db.folder.deleteMany({ where: { id: folderId } });
  if (count === 0) throw new AppError("NOT_FOUND", "No such folder.");
}

/**
 * Checks that every id names one of the user's live images. One unknown id
 * (someone else's, deleted or made up) fails the whole request with 404, so a
 * bulk action is all or nothing and says nothing about other users' images.
 */
export async function requireOwnImages(db: Db, userId: string, imageIds: string[], options: { deleted?: boolean } = {}): Promise<string[]> {
  const unique = [...new Set(imageIds)];
  const found = await db.image.count({ where: { id: { in: unique }, userId, deletedAt: options.deleted ? { not: null } : null } });
  if (found !== unique.length) {
    const notFound = unique.length === 1 ? "No such image." : "One or more of these images do not exist.";
    // A teammate's image shared through a team folder is visible, so refusing it says so (403) rather than "not found".
    throw options.deleted ? new AppError("NOT_FOUND", notFound) : await notOwnImageError(db, userId, unique, notFound);
  }
  return unique;
}

/**
 * Adds images to a hand-made folder (already there is fine). An image can be
 * in several folders. Only one's own images: a member shares their images
 * into a team folder, never a teammate's.
 */
export async function addToFolder(db: Db, userId: string, folderId: string, imageIds: string[]): Promise<{ count: number }> {
  const { row: folder } = await visibleFolder(db, userId, folderId);
  if (folder.query !== null) throw new AppError("CONFLICT", "A smart folder shows a saved search; images cannot be added to it by hand.");
  const ids = await requireOwnImages(db, userId, imageIds);
  const { count } = await db.folderImage.createMany({ data: ids.map((imageId) => ({ folderId: folder.id, imageId })), skipDuplicates: true });
  await db.folder.update({ where: { id: folder.id }, data: { updatedAt: new Date() } });
  return { count };
}

/**
 * Takes images out of a folder (they stay in the gallery). Ids not in the
 * folder are ignored. In a team folder a member takes out the images they
 * added; whoever manages the folder may take out anyone's.
 */
export async function removeFromFolder(db: Db, userId: string, folderId: string, imageIds: string[]): Promise<{ count: number }> {
  const { row: folder, manage } = await visibleFolder(db, userId, folderId);
  if (folder.team && manage) {
    const { count } = await db.folderImage.deleteMany({ where: { folderId: folder.id, imageId: { in: imageIds } } });
    return { count };
  }
  if (folder.team) {
    const others = await db.folderImage.count({ where: { folderId: folder.id, imageId: { in: imageIds }, image: { userId: { not: userId } } } });
    if (others > 0) throw new AppError("FORBIDDEN", `${others === 1 ? "One of these images was" : `${others} of these images were`} added by a teammate: only they, the member who made the folder, the team's owner or an admin can take ${others === 1 ? "it" : "them"} out.`);
  }
  const { count } = await db.folderImage.deleteMany({ where: { folderId: folder.id, imageId: { in: imageIds }, image: { userId } } });
  return { count };
}
