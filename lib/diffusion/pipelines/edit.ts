/**
 * The Editor's engine requests: Vary Region (`inpaint`) and Zoom Out / Pan /
 * Make Square (`outpaint`), both masked generation over a canvas
 * (./masked.ts). Sizes snap to the model's size multiple (its manifest's
 * `size_multiple`, else the VAE's 8).
 */
import sharp from "sharp";

import { VAE_SCALE_FACTOR, type DiffusionModel } from "../model/diffusion-model";
import { diffuse, type DiffuseHooks } from "./diffuse";
import { defaultFeatherRadius, maskCoverage, resizeMask, toMask, type MaskImage } from "./mask";
import type { MaskedRegion } from "./masked";
import { outpaintLayout, outpaintMask, sizeMultipleOf, type OutpaintLayout, type TOutpaintMove } from "../../editor/outpaint-layout";
import { assertRgb, resizeRgb, snapSize } from "./pixels";
import type { GeneratedImage, RgbImage, SamplerSettings } from "./types";
import type { SteeringAxis } from "./steering";

export interface EditBase {
  prompt: string;
  negativePrompt: string;
  steering?: SteeringAxis[];
  sampler: SamplerSettings;
  seeds: number[];
  featherRadius?: number;
}

/** The multiple every side of an edit's canvas is snapped to. */
export function modelSizeMultiple(model: DiffusionModel): number {
  return sizeMultipleOf(model.layout.manifest);
}

/** Vary Region: repaint the mask's white pixels of `image` (mask grey or RGB, any size); the rest is kept. */
export async function inpaint(model: DiffusionModel, base: EditBase, image: RgbImage, mask: MaskImage, hooks: DiffuseHooks): Promise<GeneratedImage[]> {
  const multiple = lcm(modelSizeMultiple(model), VAE_SCALE_FACTOR);
  const size = snapSize(image.width, image.height, multiple);
  const canvas = await resizeRgb(image, size.width, size.height);
  const sized = resizeMask(toMask(mask), size.width, size.height);
  const coverage = maskCoverage(sized);
  if (coverage === 0) throw new RangeError("the mask is empty: nothing to repaint");
  const region: MaskedRegion = { image: canvas, mask: sized, featherRadius: base.featherRadius ?? defaultFeatherRadius(size.width, size.height) };
  return diffuse(model, { ...fields(base), ...size, region, mode: "inpaint" }, hooks);
}

/** Zoom Out, Pan, Make Square: the original placed on a larger canvas, the rest generated. */
export async function outpaint(model: DiffusionModel, base: EditBase, image: RgbImage, move: TOutpaintMove, hooks: DiffuseHooks): Promise<GeneratedImage[]> {
  const layout = outpaintLayout(image, move, modelSizeMultiple(model));
  const canvas = await extendCanvas(image, layout);
  const region: MaskedRegion = {
    image: canvas,
    mask: outpaintMask(layout),
    featherRadius: base.featherRadius ?? defaultFeatherRadius(layout.canvas.width, layout.canvas.height),
    keepOriginal: true,
  };
  return diffuse(model, { ...fields(base), ...layout.canvas, region, mode: "outpaint" }, hooks);
}

function fields(base: EditBase) {
  return {
    prompt: base.prompt,
    negativePrompt: base.negativePrompt,
    sampler: base.sampler,
    seeds: base.seeds,
    ...(base.steering && { steering: base.steering }),
  };
}

/**
 * The outpainting canvas: the original resized into its place, and the new
 * area filled by repeating the original's edge pixels outwards, so the
 * generation starts from the colours at the seam (plus the diffusion noise)
 * rather than from grey.
 */
export async function extendCanvas(image: RgbImage, layout: OutpaintLayout): Promise<RgbImage> {
  assertRgb(image);
  const { canvas, place } = layout;
  const placed = await resizeRgb(image, place.width, place.height);
  const data = await sharp(placed.data, { raw: { width: place.width, height: place.height, channels: 3 } })
    .extend({
      top: place.y,
      left: place.x,
      bottom: canvas.height - place.y - place.height,
      right: canvas.width - place.x - place.width,
      extendWith: "copy",
    })
    .raw()
    .toBuffer();
  return { width: canvas.width, height: canvas.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a * b) / gcd(a, b);
}
