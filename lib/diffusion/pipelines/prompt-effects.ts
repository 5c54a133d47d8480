/**
 * What the prompt language's rendering parameters do to a generation
 * (docs/prompt-language.md §4–§8): multi-prompt weights on the text
 * conditioning, `--q` as steps, `--stop` as an early finish, `--tile` as
 * circular padding, `--weird` as seeded style steering, `--exp` as guidance.
 * Plain TypeScript over onnxruntime tensors.
 */
import type { Tensor } from "onnxruntime-node";

import type { TManifestStyleAxis } from "../../models/manifest";
import type { DiffusionModel, TextConditioning } from "../model/diffusion-model";
import { TorchGenerator } from "../random";
import { floatData, floatTensor } from "../tensor";
import type { SteeringAxis } from "./steering";
import type { SamplerSettings } from "./types";

export interface PromptPart {
  text: string;
  weight: number;
}

/** `--q`: the preset's steps times the quality factor, at least one. */
export function qualitySteps(steps: number, quality: number): number {
  return Math.max(1, Math.round(steps * quality));
}

/** `--stop`: how many of `steps` run before the partial result is decoded. */
export function stopAfterSteps(steps: number, stopPercent: number): number {
  return Math.max(1, Math.min(steps, Math.ceil((steps * stopPercent) / 100 - 1e-9)));
}

/**
 * `--exp`: a stronger pull towards the prompt (guidance up to twice the
 * preset's at 100), together with expSteering. Presets that skip classifier-free
 * guidance (g ≤ 1) have nothing to strengthen and are left as they are.
 */
export function expSampler(sampler: SamplerSettings, exp: number): SamplerSettings {
  if (exp === 0 || sampler.guidance <= 1) return sampler;
  return { ...sampler, guidance: sampler.guidance * (1 + exp / 100) };
}

/**
 * `--weird`: steering along the model's style axes in a direction drawn from
 * the seed (one standard normal per axis, scaled by the axis' gain), as far
 * as weird/1000. The same seed gives the same direction; 0 adds nothing.
 */
export function weirdSteering(axes: readonly TManifestStyleAxis[] | undefined, seed: number, weird: number): SteeringAxis[] {
  if (!axes || axes.length === 0 || weird === 0) return [];
  // A generator of its own (seed offset) so the direction does not repeat the image noise.
  const draws = new TorchGenerator((seed + 0x5eed) % 2 ** 32).randn([axes.length]);
  return axes.map((axis, i) => ({ negative: axis.negative, positive: axis.positive, coefficient: clamp((weird / 1000) * (axis.gain ?? 1) * draws[i]!, 100) }));
}

/** The style axes `--exp` pushes towards their positive pole: the model's house look of detail and colour. */
export const EXP_AXES = ["detail", "saturation"] as const;

/** `--exp`'s steering: exp/100 × gain along each of EXP_AXES the model has. */
export function expSteering(axes: readonly TManifestStyleAxis[] | undefined, exp: number): SteeringAxis[] {
  if (!axes || exp === 0) return [];
  return axes
    .filter((axis) => (EXP_AXES as readonly string[]).includes(axis.id))
    .map((axis) => ({ negative: axis.negative, positive: axis.positive, coefficient: (exp / 100) * (axis.gain ?? 1) }));
}

function clamp(value: number, bound: number): number {
  return Math.max(-bound, Math.min(bound, value));
}

/** Row stride of a batched tensor. */
function strideOf(tensor: Tensor): number {
  return tensor.size / (tensor.dims[0] ?? 1);
}

/** Σ coefficientᵢ·rowᵢ of a batched tensor. */
function mixRows(tensor: Tensor, coefficients: readonly number[]): Float32Array {
  const data = floatData(tensor);
  const stride = strideOf(tensor);
  const out = new Float32Array(stride);
  for (const [row, coefficient] of coefficients.entries()) {
    for (let i = 0; i < stride; i++) out[i] = out[i]! + coefficient * data[row * stride + i]!;
  }
  return out;
}

function withLastRow(tensor: Tensor, row: Float32Array): Tensor {
  const data = floatData(tensor).slice();
  data.set(row, data.length - strideOf(tensor));
  return floatTensor(data, tensor.dims);
}

/**
 * Multi-prompt: the conditional row (the last one) becomes the weighted mean
 * Σ wᵢ·E(partᵢ) / Σ wᵢ. A negative weight extrapolates away from its part.
 * The unconditional row is left alone.
 */
export async function weightedConditioning(model: DiffusionModel, text: TextConditioning, parts: readonly PromptPart[]): Promise<TextConditioning> {
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  if (!(total > 0)) throw new RangeError(`multi-prompt weights must add up to more than 0, got ${total}`);
  const encoded = await model.encodePrompts(parts.map((part) => part.text));
  const coefficients = parts.map((part) => part.weight / total);
  return {
    hiddenStates: withLastRow(text.hiddenStates, mixRows(encoded.hiddenStates, coefficients)),
    ...(text.pooled && { pooled: encoded.pooled ? withLastRow(text.pooled, mixRows(encoded.pooled, coefficients)) : text.pooled }),
  };
}

/** Shifts [B, C, H, W] by (dx, dy) with wrap-around: what leaves one edge comes back at the other. */
export function rollTensor(tensor: Tensor, dx: number, dy: number): Tensor {
  const [batch = 1, channels = 1, height = 1, width = 1] = tensor.dims;
  const data = floatData(tensor);
  const out = new Float32Array(data.length);
  const sx = ((dx % width) + width) % width;
  const sy = ((dy % height) + height) % height;
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let y = 0; y < height; y++) {
      const to = (plane * height + ((y + sy) % height)) * width;
      for (let x = 0; x < width; x++) out[to + ((x + sx) % width)] = data[(plane * height + y) * width + x]!;
    }
  }
  return floatTensor(out, tensor.dims);
}

/**
 * `--tile`'s noise prediction: the latents are rolled by a step-dependent
 * offset (so no place is the edge at every step) and wrapped around by `pad`
 * latent pixels (so convolutions see across the edge), then unrolled.
 */
export async function predictTiled(predict: (batch: Tensor) => Promise<Tensor>, batch: Tensor, pad: number, stepIndex: number): Promise<Tensor> {
  const [, , height = 1, width = 1] = batch.dims;
  const dx = Math.round(width * ((stepIndex * 0.618) % 1));
  const dy = Math.round(height * ((stepIndex * 0.382) % 1));
  const prediction = cropBorder(await predict(padCircular(rollTensor(batch, dx, dy), pad)), pad);
  return rollTensor(prediction, -dx, -dy);
}

/** [B, C, H, W] → [B, C, H+2p, W+2p], the border filled from the opposite edges (a torus). */
export function padCircular(tensor: Tensor, pad: number): Tensor {
  const [batch = 1, channels = 1, height = 1, width = 1] = tensor.dims;
  if (pad > height || pad > width) throw new RangeError(`circular padding ${pad} exceeds the ${width}×${height} image`);
  const data = floatData(tensor);
  const h2 = height + 2 * pad;
  const w2 = width + 2 * pad;
  const out = new Float32Array(batch * channels * h2 * w2);
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let y = 0; y < h2; y++) {
      const sy = (y - pad + height) % height;
      for (let x = 0; x < w2; x++) out[(plane * h2 + y) * w2 + x] = data[(plane * height + sy) * width + ((x - pad + width) % width)]!;
    }
  }
  return floatTensor(out, [batch, channels, h2, w2]);
}

/** Inverse of padCircular's growth: drops `pad` rows and columns on every side. */
export function cropBorder(tensor: Tensor, pad: number): Tensor {
  const [batch = 1, channels = 1, h2 = 1, w2 = 1] = tensor.dims;
  const height = h2 - 2 * pad;
  const width = w2 - 2 * pad;
  const data = floatData(tensor);
  const out = new Float32Array(batch * channels * height * width);
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let y = 0; y < height; y++) {
      const from = (plane * h2 + y + pad) * w2 + pad;
      out.set(data.subarray(from, from + width), (plane * height + y) * width);
    }
  }
  return floatTensor(out, [batch, channels, height, width]);
}
