import { crc32, deflateSync } from "node:zlib";
import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { sanitizeImage, sniffImageFormat } from "@/lib/uploads/sanitize-image";

/** A PNG chunk: length, type, data, CRC over type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG header claiming width × height RGB pixels
 * with a few hundred bytes of zlib data. Decoding it would need width × height
 * × 3 bytes; the pixel limit must refuse it from the header.
 */
function pngBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = deflateSync(Buffer.alloc(64 * 1024)); // zeros: the start of the first rows
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]);
}

async function solid(width: number, height: number, format: "png" | "jpeg" | "webp" | "gif", colour = { r: 200, g: 40, b: 40 }) {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return image.toFormat(format).toBuffer();
}

async function refusal(bytes: Uint8Array): Promise<AppError> {
  const error = await sanitizeImage(bytes).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("sniffImageFormat reads the type from the bytes", () => {
  it("accepts PNG, JPEG and WebP and names common refused types", async () => {
    expect(sniffImageFormat(await solid(8, 8, "png"))).toEqual({ accepted: "png" });
    expect(sniffImageFormat(await solid(8, 8, "jpeg"))).toEqual({ accepted: "jpeg" });
    expect(sniffImageFormat(await solid(8, 8, "webp"))).toEqual({ accepted: "webp" });
    expect(sniffImageFormat(await solid(8, 8, "gif"))).toEqual({ refused: "GIF" });
    expect(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ refused: "SVG or other text" });
    expect(sniffImageFormat(Buffer.from("%PDF-1.7\n"))).toEqual({ refused: "PDF" });
    expect(sniffImageFormat(Buffer.from([1, 2, 3]))).toEqual({ refused: "not an image Mirage recognises" });
    expect(sniffImageFormat(new Uint8Array(0))).toEqual({ refused: "not an image Mirage recognises" });
  });
});

describe("sanitizeImage", () => {
  it.each(["png", "jpeg", "webp"] as const)("re-encodes a %s as a PNG with a WebP thumbnail", async (format) => {
    const result = await sanitizeImage(await solid(300, 200, format));
    expect(result).toMatchObject({ width: 300, height: 200 });
    expect(sniffImageFormat(result.png)).toEqual({ accepted: "png" });
    expect(sniffImageFormat(result.thumb)).toEqual({ accepted: "webp" });
    const thumb = await sharp(result.thumb).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBe(UPLOAD_LIMITS.thumbSide);
  });

  it("drops EXIF (camera, GPS) and applies its orientation", async () => {
    // 40×20 pixels, tagged "rotate 90° clockwise to display" (orientation 6), with a GPS-bearing EXIF block.
    const tagged = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 10, g: 120, b: 200 } } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: "SecretCam", Copyright: "someone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } } })
      .toBuffer();
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    const result = await sanitizeImage(tagged);
    const stored = await sharp(result.png).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect([result.width, result.height]).toEqual([20, 40]);
    expect(result.png.includes(Buffer.from("SecretCam"))).toBe(false);
  });

  it("flattens transparency onto white (the models see RGB)", async () => {
    const clear = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const result = await sanitizeImage(clear);
    const { data, info } = await sharp(result.png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it("shrinks large images to the stored size, keeping the aspect ratio", async () => {
    const result = await sanitizeImage(await solid(3000, 1500, "jpeg"));
    expect([result.width, result.height]).toEqual([UPLOAD_LIMITS.storedSide, UPLOAD_LIMITS.storedSide / 2]);
  });

  it("refuses a decompression bomb from its header, without decoding it", async () => {
    const bomb = pngBomb(100_000, 100_000); // 30 GB of pixels in a few hundred bytes
    expect(bomb.length).toBeLessThan(2_000);
    const before = process.memoryUsage().rss;
    const error = await refusal(bomb);
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/more than 16\.8 megapixels/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    // Just over the limit is refused too; at the limit the decoder starts (and finds the rows missing: 400, not 413).
    expect((await refusal(pngBomb(4097, 4096))).status).toBe(413);
    expect((await refusal(pngBomb(4096, 4096))).status).toBe(400);
  });

  it("refuses types other than PNG, JPEG and WebP, naming what the file is", async () => {
    const gif = await refusal(await solid(8, 8, "gif"));
    expect(gif.status).toBe(415);
    expect(gif.message).toMatch(/Only PNG, JPEG and WebP .* a GIF file/);
    expect((await refusal(Buffer.from("<svg onload=alert(1)>"))).message).toMatch(/SVG/);
    expect((await refusal(Buffer.from("just some text"))).status).toBe(415);
  });

  it("refuses a truncated or damaged file with a 400 that says so", async () => {
    const png = await solid(64, 64, "png");
    const truncated = await refusal(png.subarray(0, png.length - 30));
    expect(truncated.status).toBe(400);
    expect(truncated.message).toMatch(/PNG file could not be read: it looks truncated or damaged/);
    const jpeg = await solid(64, 64, "jpeg");
    expect((await refusal(jpeg.subarray(0, 200))).status).toBe(400);
  });
});

describe("sanitizeImage on damaged and hostile bytes", () => {
  it("answers every mutation of a real image with a stored image or a 4xx, never anything else", async () => {
    const originals = await Promise.all((["png", "jpeg", "webp"] as const).map((format) => solid(48, 32, format, { r: 30, g: 160, b: 90 })));
    const mutation = fc.record({
      original: fc.constantFrom(...originals.keys()),
      // Overwrite a few bytes anywhere (headers included), then maybe cut the tail or append junk.
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      junk: fc.uint8Array({ maxLength: 64 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ original, edits, cut, junk }) => {
        const bytes = Buffer.from(originals[original]!);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const input = Buffer.concat([cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length), junk]);
        const outcome = await sanitizeImage(input).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (outcome.ok) {
          expect(sniffImageFormat(outcome.result.png)).toEqual({ accepted: "png" });
          expect(outcome.result.width).toBeGreaterThan(0);
        } else {
          expect(outcome.error).toBeInstanceOf(AppError);
          expect((outcome.error as AppError).status).toBeGreaterThanOrEqual(400);
          expect((outcome.error as AppError).status).toBeLessThan(500);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});
