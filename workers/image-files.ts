import sharp from "sharp";
import type { RgbImage } from "@/lib/diffusion";
import { IMAGE_CONTENT_TYPE, imageFileKey, readStoredObject, toStore, type StorageTarget } from "@/lib/storage";

/** Longest side of the WebP thumbnail the gallery and feed show. */
const THUMB_SIDE = 512;

/** Stores one result as a lossless PNG and a WebP thumbnail, through the configured storage driver. */
export async function writeImageFiles(storage: StorageTarget, storageKey: string, image: RgbImage): Promise<void> {
  const store = toStore(storage);
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const png = await sharp(image.data, raw).png({ compressionLevel: 6 }).toBuffer();
  // Small images are enlarged with nearest-neighbour so thumbnails stay crisp.
  const thumb = await sharp(image.data, raw)
    .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "inside", kernel: image.width < THUMB_SIDE / 2 ? "nearest" : "lanczos3", withoutEnlargement: false })
    .webp({ quality: 86 })
    .toBuffer();
  await store.put(imageFileKey(storageKey, "full"), png, IMAGE_CONTENT_TYPE.full);
  await store.put(imageFileKey(storageKey, "thumb"), thumb, IMAGE_CONTENT_TYPE.thumb);
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
