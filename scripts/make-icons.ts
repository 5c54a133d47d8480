/**
 * Renders the studio's PNG icons from public/icon.svg with sharp. The PNGs are committed; run this again after
 * changing the SVG:  npx tsx scripts/make-icons.ts
 *
 * - icon-192.png, icon-512.png: the icon as drawn (rounded square), for the web app manifest ("any").
 * - icon-maskable-512.png, apple-touch-icon.png: full-bleed square with the artwork shrunk into the central
 *   safe zone, because Android masks and iOS rounds these themselves.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const PUBLIC = fileURLToPath(new URL("../public/", import.meta.url));
const BACKGROUND = "#09090b";
/** Android's maskable safe zone is the central circle of 80 % of the width; keep the art inside it. */
const MASKABLE_ART_SCALE = 0.78;

async function render(svg: Buffer, size: number): Promise<Buffer> {
  return sharp(svg, { density: Math.ceil((72 * size) / 512) * 2 })
    .resize(size, size)
    .png()
    .toBuffer();
}

async function fullBleed(svg: Buffer, size: number): Promise<Buffer> {
  const artSize = Math.round(size * MASKABLE_ART_SCALE);
  const art = await render(svg, artSize);
  return sharp({ create: { width: size, height: size, channels: 4, background: BACKGROUND } })
    .composite([{ input: art, gravity: "centre" }])
    .flatten({ background: BACKGROUND })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

async function main() {
  const svg = await readFile(`${PUBLIC}icon.svg`);
  const outputs: Array<[string, Promise<Buffer>]> = [
    ["icon-192.png", render(svg, 192)],
    ["icon-512.png", render(svg, 512)],
    ["icon-maskable-512.png", fullBleed(svg, 512)],
    ["apple-touch-icon.png", fullBleed(svg, 180)],
  ];
  for (const [name, png] of outputs) {
    await sharp(await png).toFile(`${PUBLIC}${name}`);
    console.log(`public/${name}`);
  }
}

await main();
