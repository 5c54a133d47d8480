import { readFile } from "node:fs/promises";
import sharp from "sharp";
import type { RgbImage } from "@/lib/diffusion";
import { imagePath, writeFileAtomic } from "@/lib/storage";

/** Longest side of the WebP thumbnail the gallery and feed show. */
const THUMB_SIDE = 512;

/** Stores one result as a lossless PNG and a WebP thumbnail. */
export async function writeImageFiles(storageDir: string, storageKey: string, image: RgbImage): Promise<void> {
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const png = await sharp(image.data, raw).png({ compressionLevel: 6 }).toBuffer();
  // Small images are enlarged with nearest-neighbour so thumbnails stay crisp.
  const thumb = await sharp(image.data, raw)
    .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: "inside", kernel: image.width < THUMB_SIDE / 2 ? "nearest" : "lanczos3", withoutEnlargement: false })
    .webp({ quality: 86 })
    .toBuffer();
  await writeFileAtomic(imagePath(storageDir, storageKey, "full"), png);
  await writeFileAtomic(imagePath(storageDir, storageKey, "thumb"), thumb);
}

/** Reads a stored result back as RGB pixels (the source of Vary and Upscale). */
export async function readImagePixels(storageDir: string, storageKey: string): Promise<RgbImage> {
  const file = await readFile(imagePath(storageDir, storageKey, "full"));
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
