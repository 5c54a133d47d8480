import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { TUpload } from "@/lib/schemas/uploads";
import { IMAGE_CONTENT_TYPE, imageFileKey, removeImageFiles, uploadStorageKey, type ObjectStore } from "@/lib/storage";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { sanitizeImage } from "@/lib/uploads/sanitize-image";

/** The list the imagine bar shows. */
const LIST_LIMIT = 50;

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

/**
 * Stores an uploaded image: quota first (cheap), then the checks and the
 * re-encode (lib/uploads), then the files, then the row. A row never points
 * at missing files; files whose row could not be written are removed.
 */
export async function createUpload(context: UploadContext, userId: string, bytes: Uint8Array): Promise<TUpload> {
  const { db, storage, log } = context;
  const count = await db.upload.count({ where: { userId } });
  if (count >= UPLOAD_LIMITS.maxPerUser) {
    throw new AppError("CONFLICT", `You have ${count} uploaded images, the most Mirage keeps per user. Delete some you no longer need (Recent uploads, the ▾ next to the imagine bar's Image button) and upload again.`);
  }
  const image = await sanitizeImage(bytes);
  const id = randomUUID();
  const storageKey = uploadStorageKey(userId, id);
  await storage.put(imageFileKey(storageKey, "full"), image.png, IMAGE_CONTENT_TYPE.full);
  await storage.put(imageFileKey(storageKey, "thumb"), image.thumb, IMAGE_CONTENT_TYPE.thumb);
  try {
    const row = await db.upload.create({
      data: { id, userId, width: image.width, height: image.height, bytes: image.png.byteLength, storageKey },
      select: { id: true, width: true, height: true, bytes: true, createdAt: true },
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
    take: LIST_LIMIT,
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

/** Deletes the row, then the files. Jobs still waiting for it fail with "the source image is gone". */
export async function deleteUpload(context: UploadContext, userId: string, uploadId: string): Promise<void> {
  const upload = await getOwnUpload(context.db, userId, uploadId);
  await context.db.upload.delete({ where: { id: upload.id } });
  await removeImageFiles(context.storage, upload.storageKey).catch((error: unknown) => context.log.warn({ err: error, uploadId }, "could not remove an upload's files"));
}
