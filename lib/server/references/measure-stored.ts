import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { listModels, sizeForAspect } from "@/lib/models/catalog";
import { measureStyle } from "@/lib/references/measure";
import { measurableAxes, type TMeasurableAxis } from "@/lib/references/style";
import { modelStyle } from "@/lib/server/personalization/axes";
import { imageFileKey, readStoredObject, type ObjectStore } from "@/lib/storage";

/** A model's axes as references use them, and the square size images are measured at (where the ranges were calibrated). */
export async function referenceAxes(modelsDir: string, modelId: string): Promise<{ axes: TMeasurableAxis[]; size: { width: number; height: number } } | null> {
  const [style, models] = await Promise.all([modelStyle(modelsDir, modelId), listModels(modelsDir)]);
  const axes = measurableAxes(style.axes);
  const model = models.find((candidate) => candidate.id === modelId);
  if (!axes || !model) return null;
  return { axes, size: sizeForAspect(model, { width: 1, height: 1 }) };
}

/** The style vector of a stored image, cover-resized to `size` as the engine reads image prompts (docs/references.md §2). */
export async function measureStoredImage(storage: ObjectStore, storageKey: string, axes: readonly TMeasurableAxis[], size: { width: number; height: number }): Promise<number[]> {
  const object = await storage.get(imageFileKey(storageKey, "full"));
  if (!object) throw new AppError("NOT_FOUND", "The image's file is gone; it cannot be used as a style.");
  const { data, info } = await sharp(await readStoredObject(object))
    .removeAlpha()
    .resize(size.width, size.height, { fit: "cover", position: "centre", kernel: "lanczos3" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return measureStyle({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }, axes);
}
