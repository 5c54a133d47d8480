import sharp, { type OutputInfo } from "sharp";
import { AppError } from "@/lib/errors";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

/**
 * OpenAI's mask convention is the opposite of the Editor's: there, the fully
 * transparent pixels of the mask are the area to edit; Mirage's masks are
 * white where the image is repainted (lib/uploads/mask-image.ts). This turns
 * one into the other (alpha below half → white), as a PNG the Editor's own
 * mask checks then read like any other.
 */
export async function openAiMaskToEditorMask(bytes: Uint8Array): Promise<Buffer> {
  let alpha: { data: Buffer; info: OutputInfo };
  try {
    alpha = await sharp(bytes, { limitInputPixels: UPLOAD_LIMITS.maxInputPixels }).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new AppError("BAD_REQUEST", "The mask could not be read: send a PNG with transparency where the image should be edited.", { detail: String(error) });
  }
  const { width, height } = alpha.info;
  const rgb = Buffer.alloc(width * height * 3);
  let edited = 0;
  for (let i = 0; i < width * height; i++) {
    if ((alpha.data[i] ?? 255) < 128) {
      rgb.fill(255, i * 3, i * 3 + 3);
      edited++;
    }
  }
  if (edited === 0) throw new AppError("BAD_REQUEST", "The mask has no transparent pixels. OpenAI's convention, which Mirage follows here: the fully transparent area of the mask is the part to edit.");
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}
