import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requireOwnImages } from "./folders";

/**
 * How long a deleted image can be restored. The purge removes rows and files
 * only after this, and both sides compare against Postgres's clock, so an
 * image is never restored after its files started to go.
 */
export const UNDO_WINDOW_SECONDS = 30;

/** Marks the user's images deleted: they vanish from listings at once and are purged after the undo window. */
export async function deleteImages(db: Db, userId: string, imageIds: string[]): Promise<{ count: number }> {
  const ids = await requireOwnImages(db, userId, imageIds);
  const count = await db.$executeRaw`
    UPDATE image SET "deletedAt" = now() WHERE "userId" = ${userId} AND id = ANY(${ids}::text[]) AND "deletedAt" IS NULL`;
  return { count };
}

/** Undoes a delete while the undo window lasts; after it, 409 (the files may already be gone). */
export async function restoreImages(db: Db, userId: string, imageIds: string[]): Promise<{ count: number }> {
  const ids = [...new Set(imageIds)];
  const owned = await db.image.count({ where: { id: { in: ids }, userId } });
  if (owned !== ids.length) throw new AppError("NOT_FOUND", ids.length === 1 ? "No such image." : "One or more of these images do not exist.");
  const count = await db.$executeRaw`
    UPDATE image SET "deletedAt" = NULL
     WHERE "userId" = ${userId} AND id = ANY(${ids}::text[])
       AND "deletedAt" > now() - make_interval(secs => ${UNDO_WINDOW_SECONDS})`;
  const stillDeleted = await db.image.count({ where: { id: { in: ids }, userId, deletedAt: { not: null } } });
  if (stillDeleted > 0) throw new AppError("CONFLICT", `Too late to undo: deleted images can be restored for ${UNDO_WINDOW_SECONDS} seconds.`);
  return { count };
}
