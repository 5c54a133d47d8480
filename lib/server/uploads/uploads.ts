import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { TUpload } from "@/lib/schemas/uploads";
import { IMAGE_CONTENT_TYPE, imageFileKey, removeImageFiles, uploadStorageKey, type ObjectStore } from "@/lib/storage";
import { removeEditMasks } from "@/lib/server/jobs/edit-masks";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { sanitizeImage } from "@/lib/uploads/sanitize-image";


interface UploadContext {
  db: Db;
  storage: ObjectStore;
  log: Logger;
}

type UploadRow = { id: string; width: number; height: number; bytes: number; createdAt: Date };

function toUploadView(row: UploadRow): TUpload {
  return {
    id: row.id,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    url: `/api/v1/uploads/${row.id}/file?size=full`,
    thumbUrl: `/api/v1/uploads/${row.id}/file?size=thumb`,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Images decoded at once in this web process (see UPLOAD_LIMITS). */
const decodeSlots = pLimit(UPLOAD_LIMITS.concurrentDecodes);
/** Each user's uploads in progress in this process, body reading included. */
const inFlight = new Map<string, number>();

/**
 * Runs one upload of `userId` (reading its body included) if they have fewer
 * than `inFlightPerUser` in progress; otherwise 429. With the decode slots
 * this bounds what parallel uploads can hold in memory.
 */
export async function withUploadSlot<T>(userId: string, run: () => Promise<T>): Promise<T> {
  const busy = inFlight.get(userId) ?? 0;
  if (busy >= UPLOAD_LIMITS.inFlightPerUser) {
    throw new AppError("RATE_LIMITED", `You already have ${busy} uploads in progress; wait for them to finish, then upload again.`, { retryAfterSeconds: 2 });
  }
  inFlight.set(userId, busy + 1);
  try {
    return await run();
  } finally {
    const left = (inFlight.get(userId) ?? 1) - 1;
    if (left > 0) inFlight.set(userId, left);
    else inFlight.delete(userId);
  }
}

function quotaError(count: number): AppError {
  return new AppError("CONFLICT", `You have ${count} uploaded images, the most Mirage keeps per user. Delete some you no longer need (Recent uploads, the ▾ next to the imagine bar's Image button) and upload again.`);
}

/**
 * Stores an uploaded image: quota first (cheap), then the checks and the
 * re-encode (lib/uploads), then the files, then the row, inserted under a
 * lock on the user so parallel uploads cannot pass the quota. A row never
 * points at missing files; files whose row was not written are removed.
 */
export async function createUpload(context: UploadContext, userId: string, bytes: Uint8Array): Promise<TUpload> {
  const { db, storage, log } = context;
  const count = await db.upload.count({ where: { userId } });
  if (count >= UPLOAD_LIMITS.maxPerUser) throw quotaError(count);
  const image = await decodeSlots(() => sanitizeImage(bytes));
  const id = randomUUID();
  const storageKey = uploadStorageKey(userId, id);
  try {
    await storage.put(imageFileKey(storageKey, "full"), image.png, IMAGE_CONTENT_TYPE.full);
    await storage.put(imageFileKey(storageKey, "thumb"), image.thumb, IMAGE_CONTENT_TYPE.thumb);
    const row = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
      const stored = await tx.upload.count({ where: { userId } });
      if (stored >= UPLOAD_LIMITS.maxPerUser) throw quotaError(stored);
      return tx.upload.create({
        data: { id, userId, width: image.width, height: image.height, bytes: image.png.byteLength, storageKey },
        select: { id: true, width: true, height: true, bytes: true, createdAt: true },
      });
    });
    log.info({ userId, uploadId: id, width: image.width, height: image.height, bytes: image.png.byteLength }, "image uploaded");
    return toUploadView(row);
  } catch (error) {
    await removeImageFiles(storage, storageKey).catch((cleanup: unknown) => log.warn({ err: cleanup, storageKey }, "could not remove an upload's files"));
    throw error;
  }
}

export async function listUploads(db: Db, userId: string): Promise<TUpload[]> {
  const rows = await db.upload.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    // All of them (at most maxPerUser): a client at the limit must be able to find ones to delete.
    take: UPLOAD_LIMITS.maxPerUser,
    select: { id: true, width: true, height: true, bytes: true, createdAt: true },
  });
  return rows.map(toUploadView);
}

/** The caller's upload, or 404 (someone else's upload reads as not found). */
export async function getOwnUpload(db: Db, userId: string, uploadId: string) {
  const upload = await db.upload.findFirst({ where: { id: uploadId, userId }, select: { id: true, storageKey: true, width: true, height: true } });
  if (!upload) throw new AppError("NOT_FOUND", "No such upload.");
  return upload;
}

/** Deletes the row, then the files and the masks of edits made from it. Jobs still waiting for it fail with "the source image is gone". */
export async function deleteUpload(context: UploadContext, userId: string, uploadId: string): Promise<void> {
  const upload = await getOwnUpload(context.db, userId, uploadId);
  await context.db.upload.delete({ where: { id: upload.id } });
  await removeImageFiles(context.storage, upload.storageKey).catch((error: unknown) => context.log.warn({ err: error, uploadId }, "could not remove an upload's files"));
  // The masks of Region edits made from it go too (docs/editor.md §3).
  await removeEditMasks(context.db, context.storage, { userId, uploadId: upload.id }).catch((error: unknown) => context.log.warn({ err: error, uploadId }, "could not remove the upload's edit masks"));
}
