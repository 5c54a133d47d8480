import path from "node:path";
import type { TStorageConfig } from "@/lib/config/storage";
import { createLocalStore, resolveUnderRoot, writeFileAtomic } from "./storage/local";
import { createS3Store } from "./storage/s3";
import type { ObjectStore } from "./storage/types";

export type { ObjectStore, StoredObject } from "./storage/types";
export { readStoredObject } from "./storage/types";
export { writeFileAtomic };

/**
 * Image files are stored as `<userId>/<jobId>/<index>.png` plus a
 * `.thumb.webp`, in a local folder (STORAGE_DIR) or an S3-compatible bucket
 * (STORAGE_DRIVER=s3). Keys are built from ids only, never from user text, and
 * every driver refuses a key that could point outside its root.
 */
export function imageStorageKey(userId: string, jobId: string, index: number): string {
  return `${userId}/${jobId}/${index}`;
}

/**
 * An uploaded image prompt: `<userId>/uploads/<uploadId>`, with the same two
 * variants as a result. "uploads" can never be a job id (those are UUIDs).
 */
export function uploadStorageKey(userId: string, uploadId: string): string {
  return `${userId}/uploads/${uploadId}`;
}

/**
 * An Editor mask (white = repaint), a PNG kept next to the user's images so a
 * rerun of the edit reads the same mask: `<userId>/masks/<maskId>`.
 */
export function maskStorageKey(userId: string, maskId: string): string {
  return `${userId}/masks/${maskId}`;
}

export type TImageVariant = "full" | "thumb";

export const IMAGE_CONTENT_TYPE: Record<TImageVariant, string> = { full: "image/png", thumb: "image/webp" };

/** The object key of one variant of a stored image. */
export function imageFileKey(storageKey: string, variant: TImageVariant): string {
  return `${storageKey}${variant === "full" ? ".png" : ".thumb.webp"}`;
}

/** The file of one variant under a local storage folder (the local driver's layout). */
export function imagePath(storageDir: string, storageKey: string, variant: TImageVariant): string {
  return resolveUnderRoot(path.resolve(storageDir), imageFileKey(storageKey, variant));
}

/** The store the configuration names; one per process. */
export function createImageStore(config: TStorageConfig): ObjectStore {
  if (config.STORAGE_DRIVER === "local") return createLocalStore(config.STORAGE_DIR);
  if (!config.S3_BUCKET) throw new Error("S3_BUCKET is required when STORAGE_DRIVER=s3");
  return createS3Store({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    keyPrefix: config.S3_KEY_PREFIX,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}

/** A store, or (for callers that only know a folder) the local folder itself. */
export type StorageTarget = ObjectStore | string;

export function toStore(target: StorageTarget): ObjectStore {
  return typeof target === "string" ? createLocalStore(target) : target;
}

/** Removes every file of one job (a failed or cancelled job's partial output). */
export async function removeJobFiles(target: StorageTarget, userId: string, jobId: string): Promise<void> {
  await toStore(target).deletePrefix(`${userId}/${jobId}/`);
}

/** Removes both files of one image (its PNG and its thumbnail). */
export async function removeImageFiles(target: StorageTarget, storageKey: string): Promise<void> {
  await toStore(target).deleteKeys([imageFileKey(storageKey, "full"), imageFileKey(storageKey, "thumb")]);
}
