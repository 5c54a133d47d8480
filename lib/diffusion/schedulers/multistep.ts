/**
 * What the exponential-integrator multistep solvers (DPM-Solver, UniPC) share:
 * the VP quantities of a k-diffusion σ and their timestep grid.
 */
import type { Tensor } from "onnxruntime-node";

import { BaseScheduler } from "./base";
import type { BaseSchedulerConfig, TPredictionType } from "./config";
import { linspace, roundHalfEven } from "./numeric";
import { predictionToX0AndEpsilon } from "./predictions";
import { trainingSigmas } from "./sigmas";
import { arangeDown } from "./timesteps";

export type Weighted = readonly [number, Tensor];

/** α_t, σ_t and λ_t = ln(α_t/σ_t) of the VP process, from the k-diffusion σ (σ = 0 gives λ = ∞). */
export function alphaSigmaLambda(sigma: number) {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  const sigmaT = sigma * alpha;
  return { alpha, sigma: sigmaT, lambda: Math.log(alpha) - Math.log(sigmaT) };
}

/**
 * The integer grid both solvers start from: n of n + 1 points, so the last
 * step ends above t = 0. `lastTimestep` < T when DPM-Solver clips noisy λ.
 */
export function solverGridTimesteps(config: BaseSchedulerConfig, n: number, lastTimestep: number): number[] {
  switch (config.timestep_spacing) {
    case "linspace":
      return linspace(0, lastTimestep - 1, n + 1).map(roundHalfEven).reverse().slice(0, n);
    case "leading": {
      const ratio = Math.floor(lastTimestep / (n + 1));
      return Array.from({ length: n }, (_, i) => (n - i) * ratio + config.steps_offset);
    }
    case "trailing":
      return arangeDown(lastTimestep, config.num_train_timesteps / n).map((t) => roundHalfEven(t) - 1);
    default:
      return config.timestep_spacing satisfies never;
  }
}

/**
 * State and plumbing of the VP multistep solvers: a k-diffusion σ grid (plus
 * the final σ), unscaled model input, `add_noise` as α·x₀ + σ·ε at the σ of the
 * schedule position, and diffusers' "unknown timestep means the last step" lookup.
 */
export abstract class MultistepSolver<C extends BaseSchedulerConfig> extends BaseScheduler<C> {
  readonly initNoiseSigma = 1;
  sigmas: number[] = [];
  protected readonly trainSigmas: number[];
  /** Converted outputs of the last steps, oldest first (at most solver_order). */
  protected modelOutputs: Tensor[] = [];
  protected lowerOrderCount = 0;

  protected constructor(config: C) {
    super(config);
    // Zero-terminal-SNR makes ᾱ_T exactly 0 (σ = ∞); diffusers nudges it to 2⁻²⁴.
    if (config.rescale_betas_zero_snr) this.alphasCumprod[this.alphasCumprod.length - 1] = 2 ** -24;
    this.trainSigmas = trainingSigmas(this.alphasCumprod);
  }

  scaleModelInput(sample: Tensor): Tensor {
    return sample;
  }

  addNoise(original: Tensor, noise: Tensor, timesteps: readonly number[]): Tensor {
    const perItem = BaseScheduler.perBatch(timesteps, original.dims[0] ?? 1);
    return BaseScheduler.mixPerBatch(
      original,
      noise,
      perItem.map((t) => {
        const index = this.beginIndex === undefined ? this.indexForTimestep(t) : (this.stepIndex ?? this.beginIndex);
        const { alpha, sigma } = alphaSigmaLambda(this.sigmas[index]!);
        return [alpha, sigma] as const;
      }),
    );
  }

  protected override indexForTimestep(timestep: number): number {
    return this.timesteps.includes(timestep) ? super.indexForTimestep(timestep) : this.timesteps.length - 1;
  }

  /** x₀ and ε from the model output at k-diffusion σ (ᾱ = 1/(σ² + 1)). */
  protected static split(type: TPredictionType, modelOutput: Tensor, sample: Tensor, sigma: number) {
    return predictionToX0AndEpsilon(type, modelOutput, sample, 1 / (sigma * sigma + 1));
  }
}
