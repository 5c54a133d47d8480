/**
 * Masked generation (inpainting and outpainting) for any SD-family UNet
 * (docs/editor.md §1):
 *
 * - a 4-channel UNet runs the ordinary loop, and after every step the latents
 *   outside the mask are replaced by the original's latents forward-diffused
 *   to the next timestep with the image's own noise (the final step: the
 *   clean latents), as diffusers' inpainting pipeline does for such UNets;
 * - a native inpainting UNet (9 input channels: latents ⊕ mask ⊕
 *   masked-image latents) gets the mask and the latents of the image with the
 *   masked pixels set to grey as extra channels at every step, and no
 *   replacement (it was trained to keep the rest itself);
 * - either way the decoded result is composited over the original pixels with
 *   a feathered alpha, so nothing beyond the feather changes.
 *
 * The start is the canvas encoded and noised to the first timestep with the
 * scheduler's own `addNoise`, so whatever fills the masked area (the old
 * pixels, or the edge extension of an outpainted canvas) gives the noise a
 * faint prior, and every scheduler (σ- or ᾱ-parameterised) gets its own scale.
 */
import type { Tensor } from "onnxruntime-node";

import { VAE_SCALE_FACTOR, type DiffusionModel } from "../model/diffusion-model";
import type { TorchGenerator } from "../random";
import type { Scheduler } from "../schedulers";
import { floatData, floatTensor } from "../tensor";
import { assertMask, compositeRgb, featherAlpha, latentMask, type MaskImage } from "./mask";
import { assertRgb, rgbToVaePixels } from "./pixels";
import type { RgbImage, SamplerSettings } from "./types";

/** What to repaint: the canvas (already the output size), its mask, and how to composite. */
export interface MaskedRegion {
  /** The image the mask applies to: the original, or an outpainting's extended canvas. */
  image: RgbImage;
  /** Same size as `image`; ≥ 128 = repaint. */
  mask: MaskImage;
  /** Pixels of the fade between generated and original pixels on each side of the seam. */
  featherRadius: number;
  /** Keep every unmasked pixel exactly (the fade lies inside the mask): outpainting. */
  keepOriginal?: boolean;
}

export interface MaskedStart {
  timesteps: number[];
  latents: Tensor[];
  /** 4-channel UNets: blends the known region back after step `stepIndex` of image `image`. */
  constrain?: (image: number, stepIndex: number, latents: Tensor) => Tensor;
  /** 9-channel UNets: mask ⊕ masked-image latents per image, [1, 1 + C, h, w]. */
  extraChannels?: Tensor[];
}

/** The canvas encoded and noised to the first timestep, plus what the loop needs to honour the mask. */
export async function maskedStart(
  model: DiffusionModel,
  schedulers: Scheduler[],
  generators: TorchGenerator[],
  sampler: SamplerSettings,
  region: MaskedRegion,
): Promise<MaskedStart> {
  assertRgb(region.image);
  assertMask(region.mask);
  const { width, height } = region.image;
  if (region.mask.width !== width || region.mask.height !== height) {
    throw new RangeError(`mask is ${region.mask.width}×${region.mask.height}, the image ${width}×${height}`);
  }
  for (const s of schedulers) s.setTimesteps(sampler.steps);
  const timesteps = schedulers[0]!.timesteps;
  const pixels = rgbToVaePixels(region.image);
  const clean = await model.encodePixels(pixels, generators);
  const noises = clean.map((latent, i) => floatTensor(generators[i]!.randn(latent.dims), latent.dims));
  const latents = clean.map((latent, i) => schedulers[i]!.addNoise(latent, noises[i]!, [timesteps[0]!]));
  const cells = latentMask(region.mask, VAE_SCALE_FACTOR);

  if (model.isInpaintingUnet) {
    const masked = await model.encodePixels(greyOutMasked(pixels, region.mask), generators);
    return { timesteps, latents, extraChannels: masked.map((m) => concatChannels(floatTensor(cells.data.slice(), [1, 1, cells.height, cells.width]), m)) };
  }

  const constrain = (image: number, stepIndex: number, current: Tensor): Tensor => {
    const next = timesteps[stepIndex + 1];
    const known = next === undefined ? clean[image]! : schedulers[image]!.addNoise(clean[image]!, noises[image]!, [next]);
    return blendKnown(known, current, cells.data);
  };
  return { timesteps, latents, constrain };
}

/** The decoded result over the original pixels, with the region's feathered alpha. */
export function compositeMasked(region: MaskedRegion, generated: RgbImage): RgbImage {
  const alpha = featherAlpha(region.mask, region.featherRadius, { keepOriginal: region.keepOriginal ?? false });
  return compositeRgb(region.image, generated, alpha);
}

/** (1 − m)·known + m·current on every channel, m the latent mask (1 = repaint). */
function blendKnown(known: Tensor, current: Tensor, mask: Float32Array): Tensor {
  const k = floatData(known);
  const c = floatData(current);
  const plane = mask.length;
  const out = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const m = mask[i % plane]!;
    out[i] = m === 1 ? c[i]! : m === 0 ? k[i]! : (1 - m) * k[i]! + m * c[i]!;
  }
  return floatTensor(out, current.dims);
}

/** diffusers' `masked_image = image · (mask < 0.5)`: masked pixels become 0, mid-grey in [−1, 1]. */
function greyOutMasked(pixels: Tensor, mask: MaskImage): Tensor {
  const data = floatData(pixels).slice();
  const plane = mask.width * mask.height;
  for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) if (mask.data[i]! >= 128) data[c * plane + i] = 0;
  return floatTensor(data, pixels.dims);
}

/** [1, a, h, w] ⊕ [1, b, h, w] → [1, a + b, h, w]. */
export function concatChannels(first: Tensor, second: Tensor): Tensor {
  const [, a = 0, h = 0, w = 0] = first.dims;
  const [, b = 0, h2, w2] = second.dims;
  if (h !== h2 || w !== w2) throw new RangeError(`cannot stack ${first.dims.join("×")} and ${second.dims.join("×")}`);
  const out = new Float32Array((a + b) * h * w);
  out.set(floatData(first).subarray(0, a * h * w), 0);
  out.set(floatData(second).subarray(0, b * h * w), a * h * w);
  return floatTensor(out, [1, a + b, h, w]);
}
