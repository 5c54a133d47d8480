/** Editor masks: PNG only, resized to the image, transparency = keep, black and white when stored; the request schema. */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ZEditRequest } from "@/lib/schemas/editor";
import { decodeMask } from "@/lib/uploads/mask-image";

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, info };
}

describe("decodeMask", () => {
  it("reads white strokes on transparency (a canvas export) as repaint and the rest as keep, at the image's size", async () => {
    // 20×10 transparent, left half opaque white
    const rgba = Buffer.alloc(20 * 10 * 4);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) rgba.set([255, 255, 255, 255], (y * 20 + x) * 4);
    const png = await sharp(rgba, { raw: { width: 20, height: 10, channels: 4 } }).png().toBuffer();
    const mask = await decodeMask(png, { width: 40, height: 20 });
    expect(mask.coverage).toBeCloseTo(0.5, 5);
    const { data, info } = await pixels(mask.png);
    expect([info.width, info.height, info.channels]).toEqual([40, 20, 3]);
    expect(new Set(data)).toEqual(new Set([0, 255]));
    expect(data[0]).toBe(255);
    expect(data[(39 + 0 * 40) * 3]).toBe(0);
  });

  it("treats grey below half as keep and a coloured stroke as repaint", async () => {
    const raw = Buffer.from([100, 100, 100, 200, 0, 0]);
    const mask = await decodeMask(await sharp(raw, { raw: { width: 2, height: 1, channels: 3 } }).png().toBuffer(), { width: 2, height: 1 });
    expect(mask.coverage).toBe(0.5);
  });

  it("refuses other formats, damaged files and more pixels than the upload limit, naming the problem (400)", async () => {
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } }).jpeg().toBuffer();
    await expect(decodeMask(jpeg, { width: 4, height: 4 })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/must be a PNG.*JPEG/) });
    await expect(decodeMask(Buffer.from("<svg/>"), { width: 4, height: 4 })).rejects.toMatchObject({ status: 400 });
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } }).png().toBuffer();
    await expect(decodeMask(png.subarray(0, 40), { width: 4, height: 4 })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/truncated|damaged/) });
    await expect(decodeMask(new Uint8Array(0), { width: 4, height: 4 })).rejects.toMatchObject({ status: 400 });
    const huge = await sharp({ create: { width: 4200, height: 4100, channels: 3, background: "#000" } }).png().toBuffer();
    await expect(decodeMask(huge, { width: 4, height: 4 })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/megapixels/) });
  });
});

describe("ZEditRequest", () => {
  it("takes exactly one of mask and maskUploadId for a region, a data URL included", () => {
    expect(ZEditRequest.safeParse({ kind: "region", mask: "data:image/png;base64,iVBORw0KGgo=" }).success).toBe(true);
    expect(ZEditRequest.safeParse({ kind: "region", maskUploadId: "abc" }).success).toBe(true);
    expect(ZEditRequest.safeParse({ kind: "region" }).success).toBe(false);
    expect(ZEditRequest.safeParse({ kind: "region", mask: "iVBORw0KGgo=", maskUploadId: "abc" }).success).toBe(false);
    expect(ZEditRequest.safeParse({ kind: "region", mask: "not base64!" }).success).toBe(false);
  });

  it("bounds the zoom factor to 1–2 and knows the pan directions", () => {
    expect(ZEditRequest.safeParse({ kind: "zoom", factor: 1.5 }).success).toBe(true);
    expect(ZEditRequest.safeParse({ kind: "zoom", factor: 2.5 }).success).toBe(false);
    expect(ZEditRequest.safeParse({ kind: "pan", direction: "left", prompt: "a boat" }).success).toBe(true);
    expect(ZEditRequest.safeParse({ kind: "pan", direction: "sideways" }).success).toBe(false);
    expect(ZEditRequest.safeParse({ kind: "square", extra: 1 }).success).toBe(false);
  });
});
