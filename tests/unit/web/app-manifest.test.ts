import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { metadata } from "@/app/layout";

const PUBLIC = fileURLToPath(new URL("../../../public/", import.meta.url));

const ZManifest = z.object({
  name: z.literal("Mirage"),
  short_name: z.string().min(1).max(12),
  start_url: z.literal("/create"),
  display: z.literal("standalone"),
  theme_color: z.string().regex(/^#[0-9a-f]{6}$/i),
  background_color: z.string().regex(/^#[0-9a-f]{6}$/i),
  icons: z.array(z.object({ src: z.string().startsWith("/"), sizes: z.string(), type: z.string(), purpose: z.enum(["any", "maskable"]) })).min(1),
});

async function manifest() {
  return ZManifest.parse(JSON.parse(await readFile(`${PUBLIC}manifest.webmanifest`, "utf8")));
}

describe("web app manifest (public/)", () => {
  it("installs as Mirage, opening Create, in the studio's colours", async () => {
    const parsed = await manifest();
    // The studio's background (ink-950 in app/globals.css) and the viewport's theme colour.
    const css = await readFile(fileURLToPath(new URL("../../../app/globals.css", import.meta.url)), "utf8");
    const ink950 = /--color-ink-950:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    expect(parsed.background_color.toLowerCase()).toBe(ink950?.toLowerCase());
    expect(parsed.theme_color.toLowerCase()).toBe(ink950?.toLowerCase());
  });

  it("lists icons that exist at the sizes it declares, with a 192 px, a 512 px and a maskable one", async () => {
    const parsed = await manifest();
    for (const icon of parsed.icons) {
      const bytes = await readFile(`${PUBLIC}${icon.src.slice(1)}`);
      const info = await sharp(bytes).metadata();
      expect(`image/${info.format === "svg" ? "svg+xml" : info.format}`).toBe(icon.type);
      if (icon.sizes !== "any") expect(`${info.width}x${info.height}`).toBe(icon.sizes);
    }
    const pngSizes = parsed.icons.filter((icon) => icon.type === "image/png").map((icon) => icon.sizes);
    expect(pngSizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(parsed.icons.some((icon) => icon.purpose === "maskable")).toBe(true);
  });

  it("is linked from the root layout's metadata, with the icons and the apple-touch-icon", async () => {
    expect(metadata.manifest).toBe("/manifest.webmanifest");
    const icons = JSON.stringify(metadata.icons);
    for (const path of JSON.stringify(metadata.icons).match(/\/[\w.-]+\.(png|svg)/g) ?? []) {
      await expect(readFile(`${PUBLIC}${path.slice(1)}`)).resolves.toBeInstanceOf(Buffer);
    }
    expect(icons).toContain("/apple-touch-icon.png");
    const apple = await sharp(await readFile(`${PUBLIC}apple-touch-icon.png`)).metadata();
    // iOS shows transparent corners as black: the touch icon is opaque and 180 px square.
    expect([apple.width, apple.height]).toEqual([180, 180]);
    const { isOpaque } = await sharp(await readFile(`${PUBLIC}apple-touch-icon.png`)).stats();
    expect(isOpaque).toBe(true);
  });
});
