import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodeImageFiles, THUMB_MAX_SIDE, THUMB_MIN_SIDE, thumbnailSize } from "@/workers/image-files";

/** The feed's and gallery's thumbnails: sharp enough for a phone's grid tile, never larger than they need be. */
describe("thumbnails", () => {
  it("enlarges a small result to 256 on its longest side, shrinks a large one to 512, and keeps the aspect ratio", () => {
    expect(thumbnailSize(128, 128)).toEqual({ width: THUMB_MIN_SIDE, height: THUMB_MIN_SIDE });
    expect(thumbnailSize(176, 96)).toEqual({ width: 256, height: 140 });
    expect(thumbnailSize(300, 200)).toEqual({ width: 300, height: 200 });
    expect(thumbnailSize(1024, 1024)).toEqual({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE });
    expect(thumbnailSize(768, 1344)).toEqual({ width: 293, height: 512 });
  });

  it("is a WebP of that size next to the full-resolution PNG", async () => {
    const image = { width: 128, height: 72, data: new Uint8Array(128 * 72 * 3).map((_, index) => (index * 13) % 256) };
    const { png, thumb } = await encodeImageFiles(image);
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: 128, height: 72 });
    expect(await sharp(thumb).metadata()).toMatchObject({ format: "webp", width: 256, height: 144 });
  });
});
