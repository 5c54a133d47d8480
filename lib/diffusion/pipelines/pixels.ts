/** Conversions between 8-bit RGB images and the VAE's NCHW [−1, 1] tensors (pure, no sessions). */
import type { Tensor } from "onnxruntime-node";
import sharp from "sharp";

import { floatData, floatTensor } from "../tensor";
import type { RgbImage } from "./types";

const f32 = Math.fround;

/**
 * [1, 3, H, W] in [−1, 1] → RGB bytes, as diffusers' postprocessing computes it
 * in float32: clip(x/2 + 0.5, 0, 1)·255, rounded half to even like torch.
 * Uint8ClampedArray stores clamp and round half to even by themselves.
 */
export function vaePixelsToRgb(pixels: Tensor): RgbImage {
  const [, channels, height = 0, width = 0] = pixels.dims;
  if (channels !== 3) throw new RangeError(`expected 3 channels, got ${channels}`);
  const data = floatData(pixels);
  const plane = width * height;
  const out = new Uint8ClampedArray(plane * 3);
  for (let c = 0; c < 3; c++) {
    for (let i = 0, o = c; i < plane; i++, o += 3) out[o] = Math.fround(Math.fround(data[c * plane + i]! * 0.5 + 0.5) * 255);
  }
  return { width, height, data: new Uint8Array(out.buffer) };
}

/** RGB bytes → [1, 3, H, W] float32 in [−1, 1] (2·x/255 − 1). */
export function rgbToVaePixels(image: RgbImage): Tensor {
  return floatTensor(planar(image, (v) => f32(f32(v / 255) * 2 - 1)), [1, 3, image.height, image.width]);
}

function planar(image: RgbImage, map: (byte: number) => number): Float32Array {
  assertRgb(image);
  const plane = image.width * image.height;
  const out = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = map(image.data[i * 3 + c]!);
  return out;
}

export function assertRgb(image: RgbImage): void {
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new RangeError(`invalid image size ${image.width}×${image.height}`);
  }
  if (image.data.length !== image.width * image.height * 3) {
    throw new RangeError(`RGB buffer has ${image.data.length} bytes, ${image.width}×${image.height} needs ${image.width * image.height * 3}`);
  }
}

/** Lanczos resize (sharp), used to bring inputs to sides the VAE accepts. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  assertRgb(image);
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { kernel: "lanczos3", fit: "fill" })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** The nearest size with both sides a positive multiple of `multiple`. */
export function snapSize(width: number, height: number, multiple: number): { width: number; height: number } {
  const snap = (v: number) => Math.max(multiple, Math.round(v / multiple) * multiple);
  return { width: snap(width), height: snap(height) };
}
