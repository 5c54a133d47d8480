import type { Db } from "@/lib/db/client";
import { removeImageFiles, type StorageTarget } from "@/lib/storage";
import { removeEditMasks } from "@/lib/server/jobs/edit-masks";
import { UNDO_WINDOW_SECONDS } from "./delete-images";

const BATCH = 200;

/**
 * Removes images deleted longer ago than the undo window: first their files
 * (and the masks of Region edits made from them), then their rows (folder entries go with them; jobs made from them keep a
 * null parent, which their lineage shows as removed). Rows are deleted only
 * if still deleted, so a purge racing a restore removes nothing restored.
 * Works with any storage driver (a folder path means the local one). Safe
 * to run from several workers at once. Returns how many rows went.
 */
export async function purgeDeletedImages(db: Db, storage: StorageTarget, options: { graceSeconds?: number } = {}): Promise<number> {
  const grace = options.graceSeconds ?? UNDO_WINDOW_SECONDS;
  let purged = 0;
  for (;;) {
    const batch = await db.$queryRaw<Array<{ id: string; storageKey: string }>>`
      SELECT id, "storageKey" FROM image
       WHERE "deletedAt" IS NOT NULL AND "deletedAt" < now() - make_interval(secs => ${grace})
       ORDER BY "deletedAt" LIMIT ${BATCH}`;
    if (batch.length === 0) return purged;
    for (const image of batch) await removeImageFiles(storage, image.storageKey);
    // The masks of Region edits made from them go too (docs/editor.md §3).
    await removeEditMasks(db, storage, { imageIds: batch.map((image) => image.id) });
    const count = await db.$executeRaw`
      DELETE FROM image WHERE id = ANY(${batch.map((image) => image.id)}::text[]) AND "deletedAt" IS NOT NULL`;
    purged += count;
    if (batch.length < BATCH) return purged;
  }
}
