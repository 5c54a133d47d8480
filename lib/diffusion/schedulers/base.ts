/**
 * State and helpers shared by every scheduler: the noise schedule, the current
 * timestep grid and where in it the next `step` is.
 */
import type { Tensor } from "onnxruntime-node";

import { batchItem, floatData, floatTensor } from "../tensor";
import { cumulativeAlphas, makeBetas } from "./betas";
import type { BaseSchedulerConfig } from "./config";
import { quantile } from "./numeric";
import type { SchedulerStepOptions } from "./types";

export interface ClipConfig {
  clip_sample: boolean;
  clip_sample_range: number;
  thresholding: boolean;
  dynamic_thresholding_ratio: number;
  sample_max_value: number;
}

export abstract class BaseScheduler<C extends BaseSchedulerConfig> {
  readonly config: C;
  readonly alphasCumprod: number[];
  timesteps: number[] = [];
  numInferenceSteps = 0;
  readonly order: number = 1;
  protected stepIndex: number | undefined;
  protected beginIndex: number | undefined;

  protected constructor(config: C) {
    this.config = config;
    this.alphasCumprod = scheduleFor(config).slice();
  }

  setBeginIndex(index: number): void {
    this.beginIndex = index;
  }

  /** Index of the step about to run; initialised from `beginIndex` or by lookup on first use. */
  protected currentStepIndex(timestep: number): number {
    this.stepIndex ??= this.beginIndex ?? this.indexForTimestep(timestep);
    return this.stepIndex;
  }

  protected resetStepState(numInferenceSteps: number): void {
    if (!Number.isInteger(numInferenceSteps) || numInferenceSteps < 1) {
      throw new RangeError(`numInferenceSteps must be a positive integer, got ${numInferenceSteps}`);
    }
    if (numInferenceSteps > this.config.num_train_timesteps) {
      throw new RangeError(`numInferenceSteps ${numInferenceSteps} exceeds num_train_timesteps ${this.config.num_train_timesteps}`);
    }
    this.numInferenceSteps = numInferenceSteps;
    this.stepIndex = undefined;
    this.beginIndex = undefined;
  }

  /**
   * Position of `timestep` in the schedule. When it occurs twice (possible with
   * Karras grids) diffusers takes the second, so a restart mid-schedule never
   * repeats a step.
   */
  protected indexForTimestep(timestep: number): number {
    const hits: number[] = [];
    this.timesteps.forEach((t, i) => t === timestep && hits.push(i));
    const index = hits.length > 1 ? hits[1] : hits[0];
    if (index === undefined) throw new RangeError(`timestep ${timestep} is not in the schedule`);
    return index;
  }

  /** The timestep each batch item is noised to, broadcasting a single value. */
  protected static perBatch(timesteps: readonly number[], batch: number): number[] {
    if (timesteps.length === batch) return [...timesteps];
    if (timesteps.length === 1) return Array.from({ length: batch }, () => timesteps[0]!);
    throw new RangeError(`got ${timesteps.length} timesteps for a batch of ${batch}`);
  }

  /** `a·original + b·noise` with coefficients chosen per batch item. */
  protected static mixPerBatch(
    original: Tensor,
    noise: Tensor,
    coefficients: ReadonlyArray<readonly [number, number]>,
    roundProducts = false,
  ): Tensor {
    const out = new Float32Array(original.size);
    const x = floatData(original);
    const n = floatData(noise);
    if (x.length !== n.length) throw new RangeError("addNoise: original and noise sizes differ");
    const stride = x.length / coefficients.length;
    coefficients.forEach(([a, b], item) => {
      const round = roundProducts ? Math.fround : (v: number) => v;
      for (let i = item * stride; i < (item + 1) * stride; i++) out[i] = round(a * x[i]!) + round(b * n[i]!);
    });
    return floatTensor(out, original.dims);
  }

  protected static requireGenerator(options: SchedulerStepOptions | undefined, who: string) {
    if (!options?.generator) throw new TypeError(`${who}.step injects noise and needs options.generator`);
    return options.generator;
  }
}

/** ᾱ per beta configuration, computed once: every job builds one scheduler per image. */
const SCHEDULE_CACHE = new Map<string, number[]>();

function scheduleFor(config: BaseSchedulerConfig): readonly number[] {
  const key = JSON.stringify([
    config.num_train_timesteps,
    config.beta_start,
    config.beta_end,
    config.beta_schedule,
    config.trained_betas,
    config.rescale_betas_zero_snr,
  ]);
  let schedule = SCHEDULE_CACHE.get(key);
  if (!schedule) {
    schedule = cumulativeAlphas(makeBetas(config));
    SCHEDULE_CACHE.set(key, schedule);
  }
  return schedule;
}

/**
 * Clamp a predicted x₀ as configured: dynamic thresholding (Imagen, arXiv
 * 2205.11487 §2.3) per batch item, or a fixed `clip_sample_range`.
 */
export function clipPrediction(x0: Tensor, config: ClipConfig): Tensor {
  if (config.thresholding) return dynamicThreshold(x0, config.dynamic_thresholding_ratio, config.sample_max_value);
  if (!config.clip_sample) return x0;
  const range = config.clip_sample_range;
  return floatTensor(floatData(x0).map((v) => Math.min(Math.max(v, -range), range)), x0.dims);
}

function dynamicThreshold(x0: Tensor, ratio: number, maxValue: number): Tensor {
  const out = new Float32Array(x0.size);
  const batch = x0.dims[0] ?? 1;
  for (let item = 0; item < batch; item++) {
    const row = batchItem(x0, item);
    const s = Math.min(Math.max(quantile(row.map(Math.abs), ratio), 1), maxValue);
    const offset = item * row.length;
    for (let i = 0; i < row.length; i++) out[offset + i] = Math.min(Math.max(row[i]!, -s), s) / s;
  }
  return floatTensor(out, x0.dims);
}
