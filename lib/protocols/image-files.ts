import { AppError } from "@/lib/errors";
import { imageFileKey, readStoredObject, type ObjectStore } from "@/lib/storage";

/** The full-size PNG of a stored image or upload, for protocols that return image bytes. */
export async function readPng(storage: ObjectStore, storageKey: string): Promise<Buffer> {
  const object = await storage.get(imageFileKey(storageKey, "full"));
  if (!object) throw new AppError("NOT_FOUND", "An image file is missing from storage.");
  return readStoredObject(object);
}
