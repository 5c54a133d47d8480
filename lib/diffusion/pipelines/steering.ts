/**
 * Personalization steering of the text conditioning (docs/personalization.md §2):
 *
 *   Δ_k = E(positive_k) − E(negative_k)        context-free, cached per model
 *   c'  = c + Σ_k coefficient_k · Δ_k           on the conditional row only
 *
 * The unconditional (negative-prompt) row is left alone, so classifier-free
 * guidance pushes towards the steered conditioning. With no axes, or every
 * coefficient exactly 0 (`--s 0`), the conditioning is returned untouched: the
 * images are bit-for-bit the unpersonalized ones. Plain TypeScript over
 * onnxruntime tensors (no Next.js, Prisma or BullMQ).
 */
import type { Tensor } from "onnxruntime-node";

import type { DiffusionModel, TextConditioning } from "../model/diffusion-model";
import { floatData, floatTensor } from "../tensor";

/** One style axis' phrase pair and its steering coefficient (λ(s)·γ_k·v_k). */
export interface SteeringAxis {
  negative: string;
  positive: string;
  coefficient: number;
}

interface Direction {
  hidden: Float32Array;
  pooled?: Float32Array;
}

/** Δ per model and phrase pair: computing one costs a text-encoder call of 2 rows. */
const directions = new WeakMap<DiffusionModel, Map<string, Promise<Direction>>>();

/** Row `index` of a batched tensor as a copy. */
function row(tensor: Tensor, index: number): Float32Array {
  const data = floatData(tensor);
  const stride = data.length / (tensor.dims[0] ?? 1);
  return data.slice(index * stride, (index + 1) * stride);
}

function difference(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** Δ = E(positive) − E(negative) for one axis of this model (memoised). */
export function styleDirection(model: DiffusionModel, negative: string, positive: string): Promise<Direction> {
  let cache = directions.get(model);
  if (!cache) {
    cache = new Map();
    directions.set(model, cache);
  }
  const key = `${negative}\u0000${positive}`;
  let direction = cache.get(key);
  if (!direction) {
    direction = model.encodePrompts([positive, negative]).then((encoded) => ({
      hidden: difference(row(encoded.hiddenStates, 0), row(encoded.hiddenStates, 1)),
      ...(encoded.pooled && { pooled: difference(row(encoded.pooled, 0), row(encoded.pooled, 1)) }),
    }));
    direction.catch(() => cache.delete(key));
    cache.set(key, direction);
  }
  return direction;
}

/** Adds Σ coefficient·Δ to the last row (the conditional one) of a batched tensor. */
function steerLastRow(tensor: Tensor, terms: ReadonlyArray<readonly [number, Float32Array]>): Tensor {
  const data = floatData(tensor).slice();
  const batch = tensor.dims[0] ?? 1;
  const stride = data.length / batch;
  const offset = (batch - 1) * stride;
  for (const [coefficient, delta] of terms) {
    if (delta.length !== stride) throw new RangeError(`steering direction has ${delta.length} values, the conditioning row ${stride}`);
    for (let i = 0; i < stride; i++) data[offset + i] = data[offset + i]! + coefficient * delta[i]!;
  }
  return floatTensor(data, tensor.dims);
}

/** True when steering would change nothing (no axes, or every coefficient exactly 0). */
export function isNeutralSteering(axes: readonly SteeringAxis[] | undefined): boolean {
  return !axes || axes.every((axis) => axis.coefficient === 0);
}

/**
 * The steered conditioning c' = c + Σ_k coefficient_k·Δ_k (and the same on
 * SDXL's pooled embedding). Returns `text` itself when steering is neutral.
 */
export async function steerConditioning(model: DiffusionModel, text: TextConditioning, axes: readonly SteeringAxis[] | undefined): Promise<TextConditioning> {
  if (!axes || isNeutralSteering(axes)) return text;
  for (const axis of axes) {
    if (!Number.isFinite(axis.coefficient)) throw new RangeError(`steering coefficient must be finite, got ${axis.coefficient}`);
  }
  const active = axes.filter((axis) => axis.coefficient !== 0);
  const found = await Promise.all(active.map((axis) => styleDirection(model, axis.negative, axis.positive)));
  const hidden = steerLastRow(
    text.hiddenStates,
    found.map((direction, i) => [active[i]!.coefficient, direction.hidden] as const),
  );
  if (!text.pooled) return { hiddenStates: hidden };
  const pooledTerms = found.flatMap((direction, i) => (direction.pooled ? [[active[i]!.coefficient, direction.pooled] as const] : []));
  return { hiddenStates: hidden, pooled: pooledTerms.length > 0 ? steerLastRow(text.pooled, pooledTerms) : text.pooled };
}
