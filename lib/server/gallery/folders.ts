import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ZSmartQuery, type TFolder, type TSmartQuery } from "@/lib/schemas/gallery";

const MAX_FOLDERS = 500;

interface FolderRow {
  id: string;
  name: string;
  query: Prisma.JsonValue;
  createdAt: Date;
  _count?: { images: number };
}

function toFolder(row: FolderRow): TFolder {
  const saved = row.query === null ? null : ZSmartQuery.safeParse(row.query);
  return {
    id: row.id,
    name: row.name,
    query: saved === null ? null : saved.success ? saved.data : {},
    imageCount: row.query === null ? (row._count?.images ?? 0) : null,
    createdAt: row.createdAt.toISOString(),
  };
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

const duplicateName = (name: string) => new AppError("CONFLICT", `You already have a folder named "${name}". Pick another name.`);

export async function listFolders(db: Db, userId: string): Promise<TFolder[]> {
  const rows = await db.folder.findMany({
    where: { userId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, query: true, createdAt: true, _count: { select: { images: { where: { image: { deletedAt: null } } } } } },
  });
  return rows.map(toFolder);
}

/** A folder by hand (no query) or a smart folder (a saved search, validated like GET /api/v1/images). */
export async function createFolder(db: Db, userId: string, input: { name: string; query?: TSmartQuery }): Promise<TFolder> {
  if ((await db.folder.count({ where: { userId } })) >= MAX_FOLDERS) throw new AppError("CONFLICT", `You have ${MAX_FOLDERS} folders, the most allowed. Delete one first.`);
  try {
    const row = await db.folder.create({
      data: { userId, name: input.name, query: input.query ? cleanQuery(input.query) : Prisma.DbNull },
      select: { id: true, name: true, query: true, createdAt: true },
    });
    return toFolder(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name);
    throw error;
  }
}

/** Rename, and for a smart folder change its saved search (`query: null` turns it into a plain folder). */
export async function updateFolder(db: Db, userId: string, folderId: string, input: { name?: string; query?: TSmartQuery | null }): Promise<TFolder> {
  const data: Prisma.FolderUpdateManyMutationInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.query !== undefined) data.query = input.query === null ? Prisma.DbNull : cleanQuery(input.query);
  try {
    const { count } = await db.folder.updateMany({ where: { id: folderId, userId }, data });
    if (count === 0) throw new AppError("NOT_FOUND", "No such folder.");
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name ?? "");
    throw error;
  }
  const row = await db.folder.findFirstOrThrow({
    where: { id: folderId, userId },
    select: { id: true, name: true, query: true, createdAt: true, _count: { select: { images: { where: { image: { deletedAt: null } } } } } },
  });
  return toFolder(row);
}

/** Deletes the folder only; its images stay in the gallery (and in other folders). */
export async function deleteFolder(db: Db, userId: string, folderId: string): Promise<void> {
  const { count } = await db.folder.deleteMany({ where: { id: folderId, userId } });
  if (count === 0) throw new AppError("NOT_FOUND", "No such folder.");
}

async function ownFolder(db: Db, userId: string, folderId: string): Promise<{ id: string; query: Prisma.JsonValue }> {
  const folder = await db.folder.findFirst({ where: { id: folderId, userId }, select: { id: true, query: true } });
  if (!folder) throw new AppError("NOT_FOUND", "No such folder.");
  return folder;
}

/**
 * Checks that every id names one of the user's live images. One unknown id
 * (someone else's, deleted or made up) fails the whole request with 404, so a
 * bulk action is all or nothing and says nothing about other users' images.
 */
export async function requireOwnImages(db: Db, userId: string, imageIds: string[], options: { deleted?: boolean } = {}): Promise<string[]> {
  const unique = [...new Set(imageIds)];
  const found = await db.image.count({ where: { id: { in: unique }, userId, deletedAt: options.deleted ? { not: null } : null } });
  if (found !== unique.length) throw new AppError("NOT_FOUND", unique.length === 1 ? "No such image." : "One or more of these images do not exist.");
  return unique;
}

/** Adds images to a hand-made folder (already there is fine). An image can be in several folders. */
export async function addToFolder(db: Db, userId: string, folderId: string, imageIds: string[]): Promise<{ count: number }> {
  const folder = await ownFolder(db, userId, folderId);
  if (folder.query !== null) throw new AppError("CONFLICT", "A smart folder shows a saved search; images cannot be added to it by hand.");
  const ids = await requireOwnImages(db, userId, imageIds);
  const { count } = await db.folderImage.createMany({ data: ids.map((imageId) => ({ folderId: folder.id, imageId })), skipDuplicates: true });
  await db.folder.update({ where: { id: folder.id }, data: { updatedAt: new Date() } });
  return { count };
}

/** Takes images out of a folder (they stay in the gallery). Ids not in the folder are ignored. */
export async function removeFromFolder(db: Db, userId: string, folderId: string, imageIds: string[]): Promise<{ count: number }> {
  const folder = await ownFolder(db, userId, folderId);
  const { count } = await db.folderImage.deleteMany({ where: { folderId: folder.id, imageId: { in: imageIds }, image: { userId } } });
  return { count };
}
