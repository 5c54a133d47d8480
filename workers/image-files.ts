import sharp from "sharp";
import type { RgbImage } from "@/lib/diffusion";
import { IMAGE_CONTENT_TYPE, imageFileKey, readStoredObject, toStore, type StorageTarget } from "@/lib/storage";

/** Longest side of the WebP thumbnail the gallery and feed show. */
const THUMB_SIDE = 512;

/** One result's files: a lossless PNG and the WebP thumbnail the gallery and feed show. */
export interface EncodedImageFiles {
  png: Buffer;
  thumb: Buffer;
}

/** Encodes one result (CPU work, apart from storage, so the worker can time each). */
export async function encodeImageFiles(image: RgbImage): Promise<EncodedImageFiles> {
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const [png, thumb] = await Promise.all([
    sharp(image.data, raw).png({ compressionLevel: 6 }).toBuffer(),
    // Never enlarged: a 128² mirage-tiny result stays 128² (the browser scales it smoothly, as the
    // large view does), which makes its thumbnail ≈ 1 ms of work instead of ≈ 7 ms for a 512² one,
    // and this runs between inference and "completed" for every image (docs/benchmarks.md).
    sharp(image.data, raw)
      .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "inside", kernel: "lanczos3", withoutEnlargement: true })
      // Effort 2 of 6: ≈ 3.5 × faster than the default 4 for 6 % more bytes.
      .webp({ quality: 86, effort: 2 })
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
