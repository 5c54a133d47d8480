/**
 * Live previews: a per-model linear map from one latent cell (C channels) to
 * the mean colour of the 8×8 pixel block the VAE decoder paints for it
 * (docs/live-previews.md §2). It is fitted once per loaded model by least
 * squares against the model's own VAE decoder, then applied to the
 * scheduler's x₀ estimate every few steps: 12 multiply-adds per cell, so a
 * preview costs microseconds where a VAE decode costs a UNet call or more.
 */
import type { Tensor } from "onnxruntime-node";

import { VAE_SCALE_FACTOR, type DiffusionModel } from "../model/diffusion-model";
import { MersenneTwister, TorchGenerator } from "../random";
import { floatData, floatTensor } from "../tensor";
import type { RgbImage } from "../pipelines/types";

/** RGB in [−1, 1] = weights · z + bias, per latent cell. */
export interface LatentPreviewDecoder {
  channels: number;
  /** Row-major 3 × channels. */
  weights: Float32Array;
  bias: Float32Array;
}

/** One latent cell and the decoded colour of its block, for fitting. */
export interface PreviewSample {
  latent: ArrayLike<number>;
  rgb: readonly [number, number, number];
}

/** Ridge term: keeps the fit stable when calibration latents leave a channel nearly constant. */
const RIDGE = 1e-4;

/** Least-squares fit of `rgb ≈ W·latent + b` (pure). */
export function fitLinearPreview(samples: readonly PreviewSample[], channels: number): LatentPreviewDecoder {
  if (samples.length <= channels) throw new RangeError(`need more than ${channels} samples to fit, got ${samples.length}`);
  const n = channels + 1;
  // Normal equations (XᵀX + λI)·A = XᵀY, with X's last column the constant 1.
  const xtx = Array.from({ length: n }, () => new Float64Array(n));
  const xty = Array.from({ length: n }, () => new Float64Array(3));
  const row = new Float64Array(n);
  for (const sample of samples) {
    for (let c = 0; c < channels; c++) row[c] = sample.latent[c]!;
    row[channels] = 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) xtx[i]![j]! += row[i]! * row[j]!;
      for (let k = 0; k < 3; k++) xty[i]![k]! += row[i]! * sample.rgb[k]!;
    }
  }
  for (let i = 0; i < channels; i++) xtx[i]![i]! += RIDGE * samples.length;
  const solution = solve(xtx, xty);
  const weights = new Float32Array(3 * channels);
  const bias = new Float32Array(3);
  for (let k = 0; k < 3; k++) {
    for (let c = 0; c < channels; c++) weights[k * channels + c] = solution[c]![k]!;
    bias[k] = solution[channels]![k]!;
  }
  return { channels, weights, bias };
}

/** Gauss–Jordan elimination with partial pivoting on a small dense system (n ≤ a few dozen). */
function solve(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const n = a.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new RangeError("the preview fit is singular (calibration latents carry no signal)");
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      for (let k = 0; k < b[r]!.length; k++) b[r]![k]! -= f * b[col]![k]!;
    }
  }
  return b.map((row, i) => row.map((v) => v / a[i]![i]!));
}

/** [1, C, h, w] latents → an h×w RGB image, one pixel per latent cell (pure). */
export function projectLatent(decoder: LatentPreviewDecoder, latent: Tensor): RgbImage {
  const [, channels, height = 0, width = 0] = latent.dims;
  if (channels !== decoder.channels) throw new RangeError(`the preview decoder takes ${decoder.channels} channels, got ${channels}`);
  const data = floatData(latent);
  const plane = width * height;
  const out = new Uint8ClampedArray(plane * 3);
  const { weights, bias } = decoder;
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) {
      let v = bias[k]!;
      for (let c = 0; c < decoder.channels; c++) v += weights[k * decoder.channels + c]! * data[c * plane + i]!;
      out[i * 3 + k] = (v * 0.5 + 0.5) * 255;
    }
  }
  return { width, height, data: new Uint8Array(out.buffer) };
}

/** Mean colour of each VAE_SCALE_FACTOR² block of decoded [1, 3, H, W] pixels, paired with its latent cell. */
export function pairCells(latent: Tensor, pixels: Tensor): PreviewSample[] {
  const [, channels = 0, h = 0, w = 0] = latent.dims;
  const z = floatData(latent);
  const x = floatData(pixels);
  const width = w * VAE_SCALE_FACTOR;
  const plane = width * h * VAE_SCALE_FACTOR;
  const samples: PreviewSample[] = [];
  const area = VAE_SCALE_FACTOR * VAE_SCALE_FACTOR;
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      const rgb: [number, number, number] = [0, 0, 0];
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let dy = 0; dy < VAE_SCALE_FACTOR; dy++) {
          const base = k * plane + (cy * VAE_SCALE_FACTOR + dy) * width + cx * VAE_SCALE_FACTOR;
          for (let dx = 0; dx < VAE_SCALE_FACTOR; dx++) sum += x[base + dx]!;
        }
        rgb[k] = sum / area;
      }
      const cell = new Float64Array(channels);
      for (let c = 0; c < channels; c++) cell[c] = z[c * w * h + cy * w + cx]!;
      samples.push({ latent: cell, rgb });
    }
  }
  return samples;
}

/** Calibration images: colour fields, gradients and blocks, drawn from a fixed seed so every fit is the same. */
const CALIBRATION = { count: 16, side: 64, seed: 20_251_207 };

/**
 * Fits a model's preview decoder from its own VAE: calibration images go
 * through the encoder (so the latents are ones the decoder was trained on)
 * and back through the decoder, and each latent cell is paired with the mean
 * colour decoded for its block. A model without an encoder is fitted on
 * unit Gaussian latents (the scaled latent space's prior).
 */
export async function fitLatentPreview(model: DiffusionModel): Promise<LatentPreviewDecoder> {
  const samples: PreviewSample[] = [];
  const { count, side, seed } = CALIBRATION;
  const generator = new TorchGenerator(seed);
  const shapes = new MersenneTwister(seed);
  const cells = side / VAE_SCALE_FACTOR;
  for (let i = 0; i < count; i++) {
    const latent = model.canEncodeImages
      ? (await model.encodePixels(calibrationPixels(shapes, side), [generator]))[0]!
      : floatTensor(generator.randn([1, model.latentChannels, cells, cells]), [1, model.latentChannels, cells, cells]);
    const [pixels] = await model.decodeLatents(latent);
    samples.push(...pairCells(latent, pixels!));
  }
  return fitLinearPreview(samples, model.latentChannels);
}

/** A side×side image in [−1, 1]: a two-colour gradient with a few solid rectangles on it. */
function calibrationPixels(shapes: MersenneTwister, side: number): Tensor {
  const random = () => shapes.nextUint32() / 2 ** 32;
  const colour = () => [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1] as const;
  const from = colour();
  const to = colour();
  const horizontal = random() < 0.5;
  const plane = side * side;
  const data = new Float32Array(plane * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const t = (horizontal ? x : y) / (side - 1);
      for (let k = 0; k < 3; k++) data[k * plane + y * side + x] = from[k]! + (to[k]! - from[k]!) * t;
    }
  }
  const rectangles = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rectangles; r++) {
    const fill = colour();
    const x0 = Math.floor(random() * side * 0.7);
    const y0 = Math.floor(random() * side * 0.7);
    const x1 = Math.min(side, x0 + 8 + Math.floor(random() * side * 0.5));
    const y1 = Math.min(side, y0 + 8 + Math.floor(random() * side * 0.5));
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let k = 0; k < 3; k++) data[k * plane + y * side + x] = fill[k]!;
  }
  return floatTensor(data, [1, 3, side, side]);
}
