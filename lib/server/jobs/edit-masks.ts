import type { Db } from "@/lib/db/client";
import { removeImageFiles, type StorageTarget } from "@/lib/storage";

/**
 * Removes the stored masks of the Region edits made from these images or
 * this upload (docs/editor.md §3): once the picture an edit started from is
 * gone, its mask can never be used again (a rerun needs both), and a mask is
 * the user's drawing, which should not outlive what it was drawn on.
 * Reruns of an edit carry the same mask key, so jobs are matched by their
 * params, not their type. Only keys under the job owner's own masks folder
 * are removed. Returns how many masks went.
 */
export async function removeEditMasks(db: Db, storage: StorageTarget, source: { imageIds: readonly string[] } | { userId: string; uploadId: string }): Promise<number> {
  const rows =
    "uploadId" in source
      ? await db.$queryRaw<Array<{ userId: string; key: string | null }>>`
          SELECT DISTINCT "userId", params->'edit'->>'maskStorageKey' AS key FROM job
           WHERE "userId" = ${source.userId} AND params->>'kind' = 'edit' AND params->'edit'->>'kind' = 'region'
             AND params->'source'->>'uploadId' = ${source.uploadId}`
      : await db.$queryRaw<Array<{ userId: string; key: string | null }>>`
          SELECT DISTINCT "userId", params->'edit'->>'maskStorageKey' AS key FROM job
           WHERE params->>'kind' = 'edit' AND params->'edit'->>'kind' = 'region'
             AND params->'source'->>'imageId' = ANY(${[...source.imageIds]}::text[])`;
  const keys = rows.flatMap((row) => (row.key?.startsWith(`${row.userId}/masks/`) ? [row.key] : []));
  for (const key of keys) await removeImageFiles(storage, key);
  return keys.length;
}
