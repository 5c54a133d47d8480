import type { Db } from "@/lib/db/client";
import type { ObjectStore } from "@/lib/storage";

/**
 * "Delete my account" (Account page, better-auth's /delete-user with the
 * password). The rows go with the user row (every table that belongs to a
 * user cascades on it); what the database cannot remove is the files, so
 * they go right after, by the user's storage prefix (`<userId>/`: images,
 * uploads and Editor masks; lib/storage.ts). A job still queued or running
 * finds its row gone: the worker skips it or discards what it made.
 */

/** Why this account may not be deleted, or null. The last admin would leave the studio without one. */
export async function accountDeletionProblem(db: Db, userId: string): Promise<string | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (user?.role !== "admin") return null;
  const admins = await db.user.count({ where: { role: "admin", disabledAt: null } });
  return admins <= 1 ? "You are this studio's only admin. Make another account an admin first, then delete this one." : null;
}

/** After the rows are gone: removes every file the user had. */
export async function removeAccountFiles(storage: ObjectStore, userId: string): Promise<void> {
  await storage.deletePrefix(`${userId}/`);
}
