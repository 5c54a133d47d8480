/**
 * The deterministic fixtures of diffusers' `tests/schedulers/test_schedulers.py`
 * (`SchedulerCommonTest`), so the ported tests run on the same numbers.
 */
import type { Tensor } from "onnxruntime-node";
import { expect } from "vitest";

import type { TorchGenerator } from "@/lib/diffusion/random";
import type { Scheduler } from "@/lib/diffusion/schedulers";
import { floatData, floatTensor } from "@/lib/diffusion/tensor";

const [B, C, H, W] = [4, 3, 8, 8] as const;
const COUNT = B * C * H * W;

/** arange laid out as (C, H, W, B), divided by the element count, permuted to (B, C, H, W). */
function deterministic(valueOf: (flatIndex: number) => number): Tensor {
  const out = new Float32Array(COUNT);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) out[((b * C + c) * H + h) * W + w] = valueOf(((c * H + h) * W + w) * B + b) / COUNT;
  return floatTensor(out, [B, C, H, W]);
}

export const dummySampleDeter = () => deterministic((i) => i);
export const dummyNoiseDeter = () => deterministic((i) => COUNT - 1 - i);

/** `model(x, t) = x·t/(t+1)` in float32, as the diffusers dummy model computes it. */
export function dummyModel(sample: Tensor, t: number): Tensor {
  const tf = Math.fround(t);
  const t1 = Math.fround(tf + 1);
  return floatTensor(floatData(sample).map((x) => Math.fround(Math.fround(x * tf) / t1)), sample.dims);
}

export function scaled(sample: Tensor, factor: number): Tensor {
  return floatTensor(floatData(sample).map((x) => x * factor), sample.dims);
}

export function absSum(tensor: Tensor): number {
  return floatData(tensor).reduce((s, x) => s + Math.abs(x), 0);
}

export const absMean = (tensor: Tensor) => absSum(tensor) / tensor.size;

export interface LoopOptions {
  /** Euler-style tests feed the *scaled* sample to `step` (diffusers' tests do). */
  scaleInput?: boolean;
  generator?: TorchGenerator;
  eta?: number;
  /** Start index into the timesteps, with `addNoise` of the deterministic noise first. */
  noiseFrom?: number;
  initial?: Tensor;
}

export function fullLoop(scheduler: Scheduler, options: LoopOptions = {}): Tensor {
  let sample = options.initial ?? dummySampleDeter();
  let timesteps = scheduler.timesteps;
  if (options.noiseFrom !== undefined) {
    timesteps = timesteps.slice(options.noiseFrom * scheduler.order);
    sample = scheduler.addNoise(sample, dummyNoiseDeter(), [timesteps[0]!]);
  }
  for (const t of timesteps) {
    if (options.scaleInput) sample = scheduler.scaleModelInput(sample, t);
    const residual = dummyModel(sample, t);
    const stepOptions = { ...(options.generator && { generator: options.generator }), ...(options.eta !== undefined && { eta: options.eta }) };
    sample = scheduler.step(residual, t, sample, stepOptions).prevSample;
  }
  return sample;
}

/** |actual − expected| under diffusers' tolerance, saying both numbers when it is not. */
export function expectClose(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected), `got ${actual}, expected ${expected}`).toBeLessThan(tolerance);
}

/** `get_scheduler_config()` of diffusers' test_scheduler_dpm_multi.py. */
export const DPM_TEST_CONFIG = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: "linear",
  solver_order: 2,
  prediction_type: "epsilon",
  thresholding: false,
  sample_max_value: 1.0,
  algorithm_type: "dpmsolver++",
  solver_type: "midpoint",
  lower_order_final: false,
  euler_at_final: false,
  lambda_min_clipped: -Infinity,
  variance_type: null,
  final_sigmas_type: "sigma_min",
};
