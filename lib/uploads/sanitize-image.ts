/**
 * Uploaded images are untrusted input: their type is read from their bytes,
 * their size is capped before they are buffered (lib/api/route.ts), their
 * pixel count is capped before they are decoded, and they are always
 * re-encoded, so what is stored has no metadata (EXIF, GPS) and no payload
 * the decoder did not understand.
 */
import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { UPLOAD_LIMITS } from "./limits";

export const ACCEPTED_FORMATS = ["png", "jpeg", "webp"] as const;
export type TAcceptedFormat = (typeof ACCEPTED_FORMATS)[number];

/** Signatures of the accepted formats, and of common refused ones so the message can name them. */
const SIGNATURES: Array<{ format: TAcceptedFormat | string; matches: (bytes: Uint8Array) => boolean }> = [
  { format: "png", matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { format: "jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { format: "webp", matches: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP" },
  { format: "GIF", matches: (b) => ascii(b, 0, 4) === "GIF8" },
  { format: "BMP", matches: (b) => ascii(b, 0, 2) === "BM" },
  { format: "TIFF", matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { format: "HEIF/AVIF", matches: (b) => ascii(b, 4, 8) === "ftyp" },
  { format: "PDF", matches: (b) => ascii(b, 0, 5) === "%PDF-" },
  { format: "SVG or other text", matches: (b) => /^\s*</.test(ascii(b, 0, 64)) },
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

/** The format the bytes are, from their signature (the declared Content-Type is not trusted). */
export function sniffImageFormat(bytes: Uint8Array): { accepted: TAcceptedFormat } | { refused: string } {
  const match = SIGNATURES.find((signature) => signature.matches(bytes));
  if (!match) return { refused: "not an image Mirage recognises" };
  return (ACCEPTED_FORMATS as readonly string[]).includes(match.format) ? { accepted: match.format as TAcceptedFormat } : { refused: match.format };
}

export interface SanitizedImage {
  /** Re-encoded PNG, upright, RGB on white, longest side at most `storedSide`. */
  png: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

const MEGAPIXELS = (UPLOAD_LIMITS.maxInputPixels / 1e6).toFixed(1);

/**
 * Checks and re-encodes one uploaded image. Throws AppError: 415 for a type
 * other than PNG/JPEG/WebP, 413 beyond the pixel cap (refused from the header,
 * before any pixel is decoded), 400 for a file that does not decode cleanly.
 */
export async function sanitizeImage(bytes: Uint8Array): Promise<SanitizedImage> {
  const sniffed = sniffImageFormat(bytes);
  if ("refused" in sniffed) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Only PNG, JPEG and WebP images can be uploaded; this file is ${/^not/.test(sniffed.refused) ? sniffed.refused : `a ${sniffed.refused} file`}.`);
  }
  try {
    const { data: png, info } = await sharp(bytes, {
      limitInputPixels: UPLOAD_LIMITS.maxInputPixels,
      // A truncated or malformed file is refused rather than half-decoded.
      failOn: "warning",
      // Only the first frame of an animated WebP/PNG.
      animated: false,
    })
      .timeout({ seconds: UPLOAD_LIMITS.decodeSeconds })
      .rotate() // applies the EXIF orientation before the metadata is dropped
      .resize({ width: UPLOAD_LIMITS.storedSide, height: UPLOAD_LIMITS.storedSide, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" }) // transparency → white, as the models see RGB
      .toColourspace("srgb")
      .png({ compressionLevel: 6 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(png)
      .resize({ width: UPLOAD_LIMITS.thumbSide, height: UPLOAD_LIMITS.thumbSide, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 86 })
      .toBuffer();
    return { png, thumb, width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new AppError("PAYLOAD_TOO_LARGE", `The image has more than ${MEGAPIXELS} megapixels (at most ${Math.sqrt(UPLOAD_LIMITS.maxInputPixels)}×${Math.sqrt(UPLOAD_LIMITS.maxInputPixels)}). Resize it and upload again.`);
    }
    if (/timeout/i.test(message)) {
      throw new AppError("BAD_REQUEST", `The image took longer than ${UPLOAD_LIMITS.decodeSeconds} s to decode. Save it as a smaller PNG or JPEG and upload again.`, { detail: message });
    }
    throw new AppError("BAD_REQUEST", `The ${sniffed.accepted.toUpperCase()} file could not be read: it looks truncated or damaged. Export it again and upload the new file.`, { detail: message });
  }
}
