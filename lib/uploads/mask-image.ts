/**
 * Editor masks are untrusted input like uploads (sanitize-image.ts): PNG only
 * (read from the bytes), the pixel count capped before decoding, decoded with
 * a deadline, then reduced to black and white at the size of the image they
 * mask and re-encoded, so what is stored is a plain mask and nothing else.
 *
 * Convention: white (any channel ≥ 128) = repaint; black or transparent = keep.
 */
import pLimit from "p-limit";
import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { maskCoverage, maskFromRgb } from "@/lib/diffusion/pipelines/mask";
import { UPLOAD_LIMITS } from "./limits";
import { sniffImageFormat } from "./sanitize-image";

export interface DecodedMask {
  /** Black-and-white RGB PNG at the target size, what the worker reads back. */
  png: Buffer;
  /** Fraction of pixels to repaint. */
  coverage: number;
}

const MEGAPIXELS = (UPLOAD_LIMITS.maxInputPixels / 1e6).toFixed(1);

/** Masks decoded at once in this process: each may hold maxInputPixels × 4 bytes and a libuv thread (as uploads). */
const decodeSlots = pLimit(UPLOAD_LIMITS.concurrentDecodes);

/**
 * Decodes `bytes` as a mask for an image of `size`; a mask of another size is
 * resized (nearest neighbour, so it stays black and white). Every refusal is
 * a 400 that names the problem.
 */
export function decodeMask(bytes: Uint8Array, size: { width: number; height: number }): Promise<DecodedMask> {
  return decodeSlots(() => decode(bytes, size));
}

async function decode(bytes: Uint8Array, size: { width: number; height: number }): Promise<DecodedMask> {
  if (bytes.byteLength === 0) throw new AppError("BAD_REQUEST", "The mask is empty (0 bytes): send a PNG, white where the image should be repainted.");
  if (bytes.byteLength > UPLOAD_LIMITS.maxBytes) {
    throw new AppError("BAD_REQUEST", `The mask is larger than ${UPLOAD_LIMITS.maxBytes / (1024 * 1024)} MiB, the upload limit.`);
  }
  const sniffed = sniffImageFormat(bytes);
  if (!("accepted" in sniffed) || sniffed.accepted !== "png") {
    const what = "accepted" in sniffed ? `a ${sniffed.accepted.toUpperCase()} file` : /^not/.test(sniffed.refused) ? sniffed.refused : `a ${sniffed.refused} file`;
    throw new AppError("BAD_REQUEST", `The mask must be a PNG (white = repaint); this is ${what}.`);
  }
  let raw: Buffer;
  try {
    raw = await sharp(bytes, { limitInputPixels: UPLOAD_LIMITS.maxInputPixels, failOn: "warning", animated: false })
      .timeout({ seconds: UPLOAD_LIMITS.decodeSeconds })
      // A canvas export draws white strokes on transparency: transparent means keep.
      .flatten({ background: "#000000" })
      .toColourspace("srgb")
      .resize(size.width, size.height, { fit: "fill", kernel: "nearest" })
      .raw()
      .toBuffer();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new AppError("BAD_REQUEST", `The mask has more than ${MEGAPIXELS} megapixels, the upload limit. Send it at the image's size.`);
    }
    throw new AppError("BAD_REQUEST", "The mask PNG could not be read: it looks truncated or damaged.", { detail: message });
  }
  const mask = maskFromRgb({ width: size.width, height: size.height, data: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) });
  const coverage = maskCoverage(mask);
  const rgb = Buffer.alloc(mask.data.length * 3);
  for (let i = 0; i < mask.data.length; i++) rgb.fill(mask.data[i]!, i * 3, i * 3 + 3);
  const png = await sharp(rgb, { raw: { width: size.width, height: size.height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer();
  return { png, coverage };
}
