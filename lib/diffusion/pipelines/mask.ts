/**
 * Masks for masked generation (inpainting and outpainting), pure pixel code:
 * no sessions, no sharp. Convention: one byte per pixel, 255 (anything ≥ 128)
 * = repaint, 0 = keep. The same mask gives the latent mask the denoising loop
 * blends with and, feathered, the alpha the decoded result is composited with.
 */
import type { RgbImage } from "./types";

/** One byte per pixel, row-major; ≥ 128 means "repaint this pixel". */
export interface MaskImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function assertMask(mask: MaskImage): void {
  if (!Number.isInteger(mask.width) || !Number.isInteger(mask.height) || mask.width < 1 || mask.height < 1) {
    throw new RangeError(`invalid mask size ${mask.width}×${mask.height}`);
  }
  if (mask.data.length !== mask.width * mask.height) {
    throw new RangeError(`mask has ${mask.data.length} bytes, ${mask.width}×${mask.height} needs ${mask.width * mask.height}`);
  }
}

/** Fraction of pixels marked for repainting (0 = nothing to do, 1 = everything). */
export function maskCoverage(mask: MaskImage): number {
  let on = 0;
  for (const v of mask.data) if (v >= 128) on++;
  return on / mask.data.length;
}

/** A mask from any image: a pixel repaints when its brightest channel is ≥ 128 (white = repaint). */
export function maskFromRgb(image: RgbImage): MaskImage {
  const plane = image.width * image.height;
  const data = new Uint8Array(plane);
  for (let i = 0; i < plane; i++) {
    const v = Math.max(image.data[i * 3]!, image.data[i * 3 + 1]!, image.data[i * 3 + 2]!);
    data[i] = v >= 128 ? 255 : 0;
  }
  return { width: image.width, height: image.height, data };
}

/** A one-byte mask from one given as grey (1 byte per pixel) or RGB (3). */
export function toMask(mask: MaskImage): MaskImage {
  const plane = mask.width * mask.height;
  if (mask.data.length === plane) return mask;
  if (mask.data.length === plane * 3) return maskFromRgb(mask);
  throw new RangeError(`mask has ${mask.data.length} bytes, not ${plane} (grey) or ${plane * 3} (RGB) for ${mask.width}×${mask.height}`);
}

/**
 * Nearest-neighbour resize, so a mask stays binary at any size (a mask drawn
 * on a preview of another size still covers the same part of the image).
 */
export function resizeMask(mask: MaskImage, width: number, height: number): MaskImage {
  if (mask.width === width && mask.height === height) return mask;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      data[y * width + x] = mask.data[sy * mask.width + sx]! >= 128 ? 255 : 0;
    }
  }
  return { width, height, data };
}

/**
 * The mask at latent resolution (1 = repaint): a latent cell repaints when
 * any pixel of its `factor`×`factor` block does, so no masked pixel is left
 * to the known-region latents.
 */
export function latentMask(mask: MaskImage, factor: number): { width: number; height: number; data: Float32Array } {
  const width = Math.ceil(mask.width / factor);
  const height = Math.ceil(mask.height / factor);
  const data = new Float32Array(width * height);
  for (let y = 0; y < mask.height; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < mask.width; x++) if (mask.data[y * mask.width + x]! >= 128) data[row + Math.floor(x / factor)] = 1;
  }
  return { width, height, data };
}

/** Per-pixel sums over (2r+1)² windows, clipped at the edges, via an integral image. */
function windowSums(values: Float32Array, width: number, height: number, radius: number): { sums: Float64Array; counts: Float64Array } {
  const stride = width + 1;
  const integral = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1]! + row;
    }
  }
  const sums = new Float64Array(width * height);
  const counts = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      sums[y * width + x] = integral[y1 * stride + x1]! - integral[y0 * stride + x1]! - integral[y1 * stride + x0]! + integral[y0 * stride + x0]!;
      counts[y * width + x] = (y1 - y0) * (x1 - x0);
    }
  }
  return { sums, counts };
}

/**
 * The alpha a decoded result is composited with (1 = generated pixel, 0 =
 * original pixel): the binary mask box-blurred over `radius` pixels, so the
 * seam fades over 2·radius + 1 pixels and every pixel farther than `radius`
 * from the mask keeps alpha exactly 0. With `keepOriginal` the mask is first
 * eroded by `radius`, so the whole fade lies inside the mask and no original
 * pixel changes (outpainting: the original must stay as it was).
 */
export function featherAlpha(mask: MaskImage, radius: number, options: { keepOriginal?: boolean } = {}): Float32Array {
  const { width, height } = mask;
  let binary = Float32Array.from(mask.data, (v) => (v >= 128 ? 1 : 0));
  if (radius < 1) return binary;
  if (options.keepOriginal) {
    // Erosion: a pixel stays masked only if its whole window is masked (canvas edges count as masked).
    const { sums, counts } = windowSums(binary, width, height, radius);
    binary = Float32Array.from(sums, (s, i) => (s >= counts[i]! - 1e-9 ? 1 : 0));
  }
  // Windows are clipped at the canvas edges (mean over the pixels that exist),
  // so a mask that touches the border keeps alpha 1 there.
  const { sums, counts } = windowSums(binary, width, height, radius);
  return Float32Array.from(sums, (s, i) => s / counts[i]!);
}

/** out = alpha·generated + (1 − alpha)·original, per pixel, rounded to bytes. */
export function compositeRgb(original: RgbImage, generated: RgbImage, alpha: Float32Array): RgbImage {
  if (original.width !== generated.width || original.height !== generated.height || alpha.length !== original.width * original.height) {
    throw new RangeError(`cannot composite ${generated.width}×${generated.height} over ${original.width}×${original.height} with ${alpha.length} alpha values`);
  }
  const out = new Uint8ClampedArray(original.data.length);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    for (let c = 0; c < 3; c++) {
      const o = i * 3 + c;
      out[o] = a === 0 ? original.data[o]! : a === 1 ? generated.data[o]! : a * generated.data[o]! + (1 - a) * original.data[o]!;
    }
  }
  return { width: original.width, height: original.height, data: new Uint8Array(out.buffer) };
}

/** The feather radius for an image: about 1/48 of its short side, 2–24 px. */
export function defaultFeatherRadius(width: number, height: number): number {
  return Math.max(2, Math.min(24, Math.round(Math.min(width, height) / 48)));
}
