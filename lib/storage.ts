import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Image files live under STORAGE_DIR as `<userId>/<jobId>/<index>.png` plus a
 * `.thumb.webp`. Keys are built from ids only, never from user text, and are
 * resolved under the root so a key can never point outside it.
 */
export function imageStorageKey(userId: string, jobId: string, index: number): string {
  return `${userId}/${jobId}/${index}`;
}

export type TImageVariant = "full" | "thumb";

export function imagePath(storageDir: string, storageKey: string, variant: TImageVariant): string {
  const root = path.resolve(storageDir);
  const file = path.resolve(root, `${storageKey}${variant === "full" ? ".png" : ".thumb.webp"}`);
  if (!file.startsWith(root + path.sep)) throw new Error(`storage key escapes the storage root: ${storageKey}`);
  return file;
}

/** Writes via a temporary file and rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

export async function removeJobFiles(storageDir: string, userId: string, jobId: string): Promise<void> {
  const dir = path.resolve(storageDir, userId, jobId);
  if (!dir.startsWith(path.resolve(storageDir) + path.sep)) return;
  await rm(dir, { recursive: true, force: true });
}

/** Removes one image's files (full PNG and thumbnail); files already gone are fine. */
export async function removeImageFiles(storageDir: string, storageKey: string): Promise<void> {
  await Promise.all((["full", "thumb"] as const).map((variant) => rm(imagePath(storageDir, storageKey, variant), { force: true })));
}
