/**
 * The style-axis pixel statistics of mirage-tiny's evaluation
 * (models/mirage-tiny/eval/judge.json gives the definitions). Input: float RGB
 * in [0, 1], H×W×3 interleaved, at the generated resolution.
 */
import type { RgbImage } from "../pipelines/types";

export interface FloatImage {
  width: number;
  height: number;
  /** RGB interleaved in [0, 1]. */
  rgb: Float64Array;
}

export function toFloatImage(image: RgbImage): FloatImage {
  return { width: image.width, height: image.height, rgb: Float64Array.from(image.data, (v) => v / 255) };
}

function luminance(img: FloatImage): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * img.rgb[i * 3]! + 0.587 * img.rgb[i * 3 + 1]! + 0.114 * img.rgb[i * 3 + 2]!;
  return out;
}

/** k×k mean filter with edge replication (k odd). */
export function boxFilter(values: Float64Array, width: number, height: number, k: number): Float64Array {
  const r = Math.floor(k / 2);
  const out = new Float64Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -r; dy <= r; dy++) {
        const sy = Math.min(Math.max(y + dy, 0), height - 1);
        for (let dx = -r; dx <= r; dx++) sum += values[sy * width + Math.min(Math.max(x + dx, 0), width - 1)]!;
      }
      out[y * width + x] = sum / (k * k);
    }
  }
  return out;
}

const mean = (values: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
};

export function meanSaturation(img: FloatImage): number {
  const n = img.width * img.height;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = img.rgb[i * 3]!;
    const g = img.rgb[i * 3 + 1]!;
    const b = img.rgb[i * 3 + 2]!;
    const max = Math.max(r, g, b);
    if (max > 1e-6) sum += (max - Math.min(r, g, b)) / max;
  }
  return sum / n;
}

export function warmth(img: FloatImage): number {
  const n = img.width * img.height;
  let red = 0;
  let blue = 0;
  for (let i = 0; i < n; i++) {
    red += img.rgb[i * 3]!;
    blue += img.rgb[i * 3 + 2]!;
  }
  return (red - blue) / n;
}

export const meanLuminance = (img: FloatImage) => mean(luminance(img));

export function thinDarkFraction(img: FloatImage): number {
  const l = luminance(img);
  const blurred = boxFilter(l, img.width, img.height, 7);
  return mean(l.map((v, i) => (blurred[i]! - v > 0.12 ? 1 : 0)));
}

export function softGradientFraction(img: FloatImage): number {
  const { width, height } = img;
  const l = boxFilter(luminance(img), width, height, 3);
  const at = (x: number, y: number) => l[Math.min(Math.max(y, 0), height - 1) * width + Math.min(Math.max(x, 0), width - 1)]!;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gx = (at(x + 1, y) - at(x - 1, y)) / 2;
      const gy = (at(x, y + 1) - at(x, y - 1)) / 2;
      const g = Math.sqrt(gx * gx + gy * gy);
      if (g > 0.006 && g < 0.04) count++;
    }
  }
  return count / (width * height);
}

export function highFrequencyEnergy(img: FloatImage): number {
  const l = luminance(img);
  const blurred = boxFilter(l, img.width, img.height, 3);
  return mean(l.map((v, i) => Math.abs(v - blurred[i]!)));
}

export const STATISTICS: Record<string, (img: FloatImage) => number> = {
  mean_saturation: meanSaturation,
  warmth,
  mean_luminance: meanLuminance,
  thin_dark_fraction: thinDarkFraction,
  soft_gradient_fraction: softGradientFraction,
  high_frequency_energy: highFrequencyEnergy,
};
