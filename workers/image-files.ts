import sharp from "sharp";
import type { RgbImage } from "@/lib/diffusion";
import { IMAGE_CONTENT_TYPE, imageFileKey, readStoredObject, toStore, type StorageTarget } from "@/lib/storage";

/**
 * Longest side of the WebP thumbnail the gallery and feed show: at most 512,
 * and at least 256, so a small model's 128² result is enlarged 2× (Lanczos)
 * rather than stretched by the browser. A phone shows a grid tile about 190
 * CSS px wide at 1.5–2 device pixels per CSS pixel; a 128-px image there is
 * visibly soft, and Lighthouse's best-practices audit ("serves images with
 * low resolution") fails the page for it (docs/ui.md, "Thumbnails").
 */
export const THUMB_MAX_SIDE = 512;
export const THUMB_MIN_SIDE = 256;

/** The thumbnail's size for an image: its own when it is within the bounds, else scaled (aspect kept) into them. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  const target = Math.min(THUMB_MAX_SIDE, Math.max(THUMB_MIN_SIDE, longest));
  if (target === longest) return { width, height };
  const scale = target / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** One result's files: a lossless PNG and the WebP thumbnail the gallery and feed show. */
export interface EncodedImageFiles {
  png: Buffer;
  thumb: Buffer;
}

/** Encodes one result (CPU work, apart from storage, so the worker can time each). */
export async function encodeImageFiles(image: RgbImage): Promise<EncodedImageFiles> {
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const thumbSize = thumbnailSize(image.width, image.height);
  const [png, thumb] = await Promise.all([
    sharp(image.data, raw).png({ compressionLevel: 6 }).toBuffer(),
    // This runs between inference and "completed" for every image (docs/benchmarks.md): a 256²
    // thumbnail of a 128² result at effort 0 (of 6) is ≈ 5 ms, at the default 4 ≈ 4 × that, for
    // thumbnails of 2–3 KB either way.
    sharp(image.data, raw)
      .resize({ ...thumbSize, fit: "fill", kernel: "lanczos3" })
      .webp({ quality: 86, effort: 0 })
      .toBuffer(),
  ]);
  return { png, thumb };
}

/** Stores encoded files through the configured storage driver. */
export async function storeImageFiles(storage: StorageTarget, storageKey: string, files: EncodedImageFiles): Promise<void> {
  const store = toStore(storage);
  await Promise.all([
    store.put(imageFileKey(storageKey, "full"), files.png, IMAGE_CONTENT_TYPE.full),
    store.put(imageFileKey(storageKey, "thumb"), files.thumb, IMAGE_CONTENT_TYPE.thumb),
  ]);
}

/** Stores one result as a lossless PNG and a WebP thumbnail, through the configured storage driver. */
export async function writeImageFiles(storage: StorageTarget, storageKey: string, image: RgbImage): Promise<void> {
  await storeImageFiles(storage, storageKey, await encodeImageFiles(image));
}

/**
 * Reads a stored image back as RGB pixels: a result (the source of Vary and
 * Upscale) as it is, or an image prompt cropped to cover the job's size, as
 * Midjourney centres an image prompt in the chosen aspect ratio.
 */
export async function readImagePixels(storage: StorageTarget, storageKey: string, cover?: { width: number; height: number }): Promise<RgbImage> {
  const object = await toStore(storage).get(imageFileKey(storageKey, "full"));
  if (!object) throw new Error(`image file missing from storage: ${imageFileKey(storageKey, "full")}`);
  const file = await readStoredObject(object);
  let pipeline = sharp(file).removeAlpha();
  if (cover) pipeline = pipeline.resize(cover.width, cover.height, { fit: "cover", position: "centre", kernel: "lanczos3" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
