/** DDIM (Song et al., arXiv 2010.02502), as diffusers' `DDIMScheduler`. */
import type { Tensor } from "onnxruntime-node";

import { floatTensor, linearCombination } from "../tensor";
import { BaseScheduler, clipPrediction, type ClipConfig } from "./base";
import { BASE_DEFAULTS, resolveConfig, type BaseSchedulerConfig } from "./config";
import { discreteTimesteps } from "./timesteps";
import { predictionToX0AndEpsilon } from "./predictions";
import type { Scheduler, SchedulerStepOptions, SchedulerStepOutput } from "./types";

export interface DDIMConfig extends BaseSchedulerConfig, ClipConfig {
  set_alpha_to_one: boolean;
}

export const DDIM_DEFAULTS: DDIMConfig = {
  ...BASE_DEFAULTS,
  clip_sample: true,
  clip_sample_range: 1,
  set_alpha_to_one: true,
  thresholding: false,
  dynamic_thresholding_ratio: 0.995,
  sample_max_value: 1,
};

export class DDIMScheduler extends BaseScheduler<DDIMConfig> implements Scheduler {
  readonly name = "DDIMScheduler";
  readonly initNoiseSigma = 1;
  /** ᾱ used after the last step: 1 ("fully denoised") or ᾱ₀. */
  private readonly finalAlphaCumprod: number;

  constructor(config: DDIMConfig) {
    super(config);
    this.finalAlphaCumprod = config.set_alpha_to_one ? 1 : this.alphasCumprod[0]!;
  }

  static fromConfig(raw: unknown): DDIMScheduler {
    return new DDIMScheduler(resolveConfig(raw, DDIM_DEFAULTS));
  }

  setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const c = this.config;
    this.timesteps = discreteTimesteps(c.timestep_spacing, c.num_train_timesteps, numInferenceSteps, c.steps_offset);
  }

  scaleModelInput(sample: Tensor): Tensor {
    return sample;
  }

  /** DDPM posterior variance between t and its predecessor, which η scales. */
  variance(timestep: number, prevTimestep: number): number {
    const a = this.alphasCumprod[timestep]!;
    const aPrev = this.alphaBefore(prevTimestep);
    return ((1 - aPrev) / (1 - a)) * (1 - a / aPrev);
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput {
    const eta = options?.eta ?? 0;
    const prevTimestep = timestep - Math.floor(this.config.num_train_timesteps / this.numInferenceSteps);
    const a = this.alphasCumprod[timestep];
    if (a === undefined) throw new RangeError(`timestep ${timestep} is outside the training schedule`);
    const aPrev = this.alphaBefore(prevTimestep);

    const predicted = predictionToX0AndEpsilon(this.config.prediction_type, modelOutput, sample, a);
    const x0 = clipPrediction(predicted.x0, this.config);
    const stdDev = eta * Math.sqrt(this.variance(timestep, prevTimestep));
    const terms: Array<readonly [number, Tensor]> = [
      [Math.sqrt(aPrev), x0],
      [Math.sqrt(1 - aPrev - stdDev ** 2), predicted.epsilon],
    ];
    if (eta > 0) {
      const generator = BaseScheduler.requireGenerator(options, this.name);
      const noise = generator.randn(modelOutput.dims);
      terms.push([stdDev, floatTensor(noise, modelOutput.dims)]);
    }
    return { prevSample: linearCombination(terms), predOriginalSample: x0 };
  }

  addNoise(original: Tensor, noise: Tensor, timesteps: readonly number[]): Tensor {
    const perItem = BaseScheduler.perBatch(timesteps, original.dims[0] ?? 1);
    return BaseScheduler.mixPerBatch(original, noise, perItem.map((t) => alphaSigmaPair(this.alphasCumprod, t)));
  }

  private alphaBefore(prevTimestep: number): number {
    return prevTimestep >= 0 ? this.alphasCumprod[prevTimestep]! : this.finalAlphaCumprod;
  }
}

/** (√ᾱ_t, √(1−ᾱ_t)): the variance-preserving forward process coefficients. */
export function alphaSigmaPair(alphasCumprod: readonly number[], timestep: number): readonly [number, number] {
  const a = alphasCumprod[timestep];
  if (a === undefined) throw new RangeError(`timestep ${timestep} is outside the training schedule`);
  return [Math.sqrt(a), Math.sqrt(1 - a)];
}
