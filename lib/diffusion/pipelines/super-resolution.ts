/**
 * A super-resolution graph (e.g. mirage-tiny-upscaler-x2, Real-ESRGAN) run in
 * overlapping tiles so any image size works, even for graphs with a static
 * input shape. Tiles are blended with linear feathering over the overlap,
 * `Σ(tile·mask)/Σmask`, so seams do not show.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import { floatData, floatTensor } from "../tensor";
import { openComponentSession, type ComponentSession, type RunListener, type SessionOptions } from "../model/session";
import { castFloatInput } from "../model/feeds";
import { assertRgb } from "./pixels";
import type { RgbImage } from "./types";

export interface TilingOptions {
  /** Tile side for graphs with dynamic spatial axes (static graphs use their own). @defaultValue 128 */
  tile?: number;
  /** Overlap between neighbouring tiles, in input pixels. @defaultValue min(16, tile/4) */
  overlap?: number;
  onTile?: () => void;
  signal?: AbortSignal;
}

const DEFAULT_TILE = 128;

export class SuperResolutionModel {
  private constructor(
    private readonly session: ComponentSession,
    /** Output side ÷ input side. */
    readonly scale: number,
  ) {}

  static async load(path: string, options: SessionOptions = {}): Promise<SuperResolutionModel> {
    const session = await openComponentSession("upscaler", path, options);
    return new SuperResolutionModel(session, await readScale(path));
  }

  setRunListener(listener: RunListener | undefined): void {
    this.session.setRunListener(listener);
  }

  /** Tiles `upscale` will run for an image of this size (for progress totals). */
  tileCount(width: number, height: number, options: TilingOptions = {}): number {
    const { tileWidth, tileHeight, overlap } = this.tiling(options);
    return tileStarts(width, tileWidth, overlap).length * tileStarts(height, tileHeight, overlap).length;
  }

  async upscale(image: RgbImage, options: TilingOptions = {}): Promise<RgbImage> {
    assertRgb(image);
    const { tileWidth, tileHeight, overlap, isStatic } = this.tiling(options);
    const s = this.scale;
    const outWidth = image.width * s;
    const outHeight = image.height * s;
    const outPlane = outWidth * outHeight;
    // Planar accumulators: Σ tile·weight per channel, and Σ weight.
    const sums = [new Float32Array(outPlane), new Float32Array(outPlane), new Float32Array(outPlane)];
    const weights = new Float32Array(outPlane);
    const xs = tileStarts(image.width, tileWidth, overlap);
    const ys = tileStarts(image.height, tileHeight, overlap);
    const spec = this.session.input(this.session.inputs.keys().next().value!);

    for (const [yi, y0] of ys.entries()) {
      for (const [xi, x0] of xs.entries()) {
        options.signal?.throwIfAborted();
        // Static graphs need exactly their size: pad small images by edge replication.
        const w = isStatic ? tileWidth : Math.min(tileWidth, image.width);
        const h = isStatic ? tileHeight : Math.min(tileHeight, image.height);
        const input = floatTensor(extractTile(image, x0, y0, w, h), [1, 3, h, w]);
        const out = await this.session.run({ [spec.name]: castFloatInput(input, spec) });
        const data = floatData(out[this.session.outputNames[0]!]!);
        const rowLength = w * s;
        const tilePlane = rowLength * h * s;
        const validWidth = Math.min(w, image.width - x0) * s;
        const validHeight = Math.min(h, image.height - y0) * s;
        const rampX = featherRamp(validWidth, overlap * s, xi > 0, xi < xs.length - 1);
        const rampY = featherRamp(validHeight, overlap * s, yi > 0, yi < ys.length - 1);
        for (let y = 0; y < validHeight; y++) {
          const wy = rampY[y]!;
          const dstRow = (y0 * s + y) * outWidth + x0 * s;
          const srcRow = y * rowLength;
          for (let x = 0; x < validWidth; x++) weights[dstRow + x] = weights[dstRow + x]! + rampX[x]! * wy;
          for (let c = 0; c < 3; c++) {
            const sum = sums[c]!;
            const src = c * tilePlane + srcRow;
            for (let x = 0; x < validWidth; x++) sum[dstRow + x] = sum[dstRow + x]! + data[src + x]! * rampX[x]! * wy;
          }
        }
        options.onTile?.();
      }
    }

    // Uint8ClampedArray clamps to [0, 255] and rounds on store.
    const pixels = new Uint8ClampedArray(outPlane * 3);
    for (let c = 0; c < 3; c++) {
      const sum = sums[c]!;
      for (let i = 0, o = c; i < outPlane; i++, o += 3) pixels[o] = (sum[i]! / weights[i]!) * 255;
    }
    return { width: outWidth, height: outHeight, data: new Uint8Array(pixels.buffer) };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private tiling(options: TilingOptions) {
    const spec = this.session.input(this.session.inputs.keys().next().value!);
    const [, , h, w] = spec.shape;
    const isStatic = typeof h === "number" && typeof w === "number";
    const tileWidth = isStatic ? w : (options.tile ?? DEFAULT_TILE);
    const tileHeight = isStatic ? h : (options.tile ?? DEFAULT_TILE);
    const overlap = options.overlap ?? Math.min(16, Math.floor(Math.min(tileWidth, tileHeight) / 4));
    if (overlap * 2 >= Math.min(tileWidth, tileHeight)) throw new RangeError(`overlap ${overlap} too large for ${tileWidth}×${tileHeight} tiles`);
    return { tileWidth, tileHeight, overlap, isStatic };
  }
}

/** Tile origins along one axis: stride `tile − overlap`, the last one flush with the far edge. */
export function tileStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const starts: number[] = [];
  for (let start = 0; start + tile < size; start += tile - overlap) starts.push(start);
  starts.push(size - tile);
  return starts;
}

/** Weights rising linearly across the overlap on sides that have a neighbour, 1 elsewhere. */
export function featherRamp(length: number, overlap: number, hasBefore: boolean, hasAfter: boolean): Float32Array {
  const ramp = new Float32Array(length).fill(1);
  if (overlap <= 0) return ramp;
  for (let i = 0; i < length; i++) {
    if (hasBefore) ramp[i] = Math.min(ramp[i]!, (i + 0.5) / overlap);
    if (hasAfter) ramp[i] = Math.min(ramp[i]!, (length - i - 0.5) / overlap);
  }
  return ramp;
}

/** NCHW [0, 1] tile at (x0, y0), replicating edge pixels where it runs past the image. */
function extractTile(image: RgbImage, x0: number, y0: number, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(plane * 3);
  const source = image.data;
  for (let y = 0; y < height; y++) {
    const row = Math.min(y0 + y, image.height - 1) * image.width;
    for (let x = 0; x < width; x++) {
      const src = (row + Math.min(x0 + x, image.width - 1)) * 3;
      const dst = y * width + x;
      out[dst] = source[src]! / 255;
      out[plane + dst] = source[src + 1]! / 255;
      out[2 * plane + dst] = source[src + 2]! / 255;
    }
  }
  return out;
}

/** `scale` from the graph's config.json when present (mirage-tiny-upscaler-x2 ships one), else 2. */
async function readScale(modelPath: string): Promise<number> {
  try {
    const config = JSON.parse(await readFile(join(dirname(modelPath), "config.json"), "utf8")) as { scale?: unknown };
    return typeof config.scale === "number" && Number.isInteger(config.scale) && config.scale > 0 ? config.scale : 2;
  } catch {
    return 2;
  }
}
