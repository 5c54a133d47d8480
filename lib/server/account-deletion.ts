import type { Db } from "@/lib/db/client";
import type { ObjectStore } from "@/lib/storage";
import { releaseJob } from "./accounting/ledger";
import { handTeamFoldersOver } from "./teams/folder-handover";

/**
 * "Delete my account" (Account page, better-auth's /delete-user with the
 * password). The rows go with the user row (every table that belongs to a
 * user cascades on it); what the database cannot remove is the files, so
 * they go right after, by the user's storage prefix (`<userId>/`: images,
 * uploads and Editor masks; lib/storage.ts). A job still queued or running
 * finds its row gone: the worker skips it or discards what it made.
 *
 * A team's pool is the exception to "the rows go with the user": the pool
 * outlives the member, so what their unfinished jobs hold on it is returned
 * first (returnTeamPoolHolds); otherwise the team would lose that time for
 * the rest of the month. What they already used stays used. So are the team
 * folders the user made: they pass to a teammate (handTeamFoldersOver), so
 * the team keeps them and what its other members filed there.
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

/** Before the rows go: returns to their team's pool what the user's unfinished jobs hold on it. */
export async function returnTeamPoolHolds(db: Db, userId: string): Promise<void> {
  const open = await db.$queryRaw<Array<{ jobId: string }>>`
    SELECT h."jobId" FROM ledger_entry h
     WHERE h."userId" = ${userId} AND h.kind = 'hold' AND h."teamId" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e."jobId" = h."jobId" AND e.kind IN ('settle', 'release'))`;
  for (const { jobId } of open) {
    await db.$transaction((tx) => releaseJob(tx, { userId, jobId, note: "account deleted" }));
  }
}

/** Once deletion is allowed, before the rows go: what the user's teams keep (pool holds returned, team folders handed over). */
export async function prepareAccountDeletion(db: Db, userId: string): Promise<void> {
  await returnTeamPoolHolds(db, userId);
  await handTeamFoldersOver(db, userId);
}
