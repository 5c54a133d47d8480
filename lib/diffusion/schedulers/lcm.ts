/**
 * Latent Consistency Model multistep sampling (Luo et al., arXiv 2310.04378),
 * as diffusers' `LCMScheduler`: each step jumps to a consistency-boundary
 * estimate `denoised` and re-noises it to the next timestep.
 */
import type { Tensor } from "onnxruntime-node";

import { floatTensor, linearCombination } from "../tensor";
import { BaseScheduler, clipPrediction, type ClipConfig } from "./base";
import { BASE_DEFAULTS, resolveConfig, type BaseSchedulerConfig } from "./config";
import { alphaSigmaPair } from "./ddim";
import { linspace } from "./numeric";
import { predictionToX0AndEpsilon } from "./predictions";
import type { Scheduler, SchedulerStepOptions, SchedulerStepOutput, SetTimestepsOptions } from "./types";

export interface LCMConfig extends BaseSchedulerConfig, ClipConfig {
  set_alpha_to_one: boolean;
  original_inference_steps: number;
  timestep_scaling: number;
}

export const LCM_DEFAULTS: LCMConfig = {
  ...BASE_DEFAULTS,
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: "scaled_linear",
  clip_sample: false,
  clip_sample_range: 1,
  set_alpha_to_one: true,
  thresholding: false,
  dynamic_thresholding_ratio: 0.995,
  sample_max_value: 1,
  original_inference_steps: 50,
  timestep_scaling: 10,
};

/** σ_data of the consistency-model boundary condition. */
const SIGMA_DATA = 0.5;

export class LCMScheduler extends BaseScheduler<LCMConfig> implements Scheduler {
  readonly name = "LCMScheduler";
  readonly initNoiseSigma = 1;
  private readonly finalAlphaCumprod: number;

  constructor(config: LCMConfig) {
    super(config);
    this.finalAlphaCumprod = config.set_alpha_to_one ? 1 : this.alphasCumprod[0]!;
  }

  static fromConfig(raw: unknown): LCMScheduler {
    return new LCMScheduler(resolveConfig(raw, LCM_DEFAULTS));
  }

  /**
   * Picks `n` of the distillation's origin timesteps (k·T/origSteps − 1), evenly
   * by index. With `strength` < 1 only the lowest ⌊origSteps·strength⌋ remain (img2img).
   */
  setTimesteps(numInferenceSteps: number, options?: SetTimestepsOptions): void {
    this.resetStepState(numInferenceSteps);
    const c = this.config;
    const origin = c.original_inference_steps;
    const k = Math.floor(c.num_train_timesteps / origin);
    const available = Math.floor(origin * (options?.strength ?? 1));
    if (numInferenceSteps > available) {
      throw new RangeError(`LCM can take at most ${available} steps at this strength, got ${numInferenceSteps}`);
    }
    const originTimesteps = Array.from({ length: available }, (_, i) => (available - i) * k - 1);
    this.timesteps = linspace(0, available, numInferenceSteps, false).map((i) => originTimesteps[Math.floor(i)]!);
  }

  scaleModelInput(sample: Tensor): Tensor {
    return sample;
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const isLast = index === this.timesteps.length - 1;
    const prevTimestep = isLast ? timestep : this.timesteps[index + 1]!;
    const a = this.alphasCumprod[timestep];
    if (a === undefined) throw new RangeError(`timestep ${timestep} is outside the training schedule`);
    const aPrev = prevTimestep >= 0 ? this.alphasCumprod[prevTimestep]! : this.finalAlphaCumprod;

    const { cSkip, cOut } = boundaryScalings(timestep * this.config.timestep_scaling);
    const x0 = clipPrediction(predictionToX0AndEpsilon(this.config.prediction_type, modelOutput, sample, a).x0, this.config);
    const denoised = linearCombination([[cOut, x0], [cSkip, sample]]);
    this.stepIndex = index + 1;
    if (isLast) return { prevSample: denoised, predOriginalSample: denoised };

    const generator = BaseScheduler.requireGenerator(options, this.name);
    const noise = floatTensor(generator.randn(modelOutput.dims), modelOutput.dims);
    const prevSample = linearCombination([[Math.sqrt(aPrev), denoised], [Math.sqrt(1 - aPrev), noise]]);
    return { prevSample, predOriginalSample: denoised };
  }

  addNoise(original: Tensor, noise: Tensor, timesteps: readonly number[]): Tensor {
    const perItem = BaseScheduler.perBatch(timesteps, original.dims[0] ?? 1);
    return BaseScheduler.mixPerBatch(original, noise, perItem.map((t) => alphaSigmaPair(this.alphasCumprod, t)));
  }
}

/** c_skip and c_out that make the consistency function the identity at t = 0. */
function boundaryScalings(scaledTimestep: number): { cSkip: number; cOut: number } {
  const denom = scaledTimestep ** 2 + SIGMA_DATA ** 2;
  return { cSkip: SIGMA_DATA ** 2 / denom, cOut: scaledTimestep / Math.sqrt(denom) };
}
