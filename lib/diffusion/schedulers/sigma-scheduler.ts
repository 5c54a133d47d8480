/**
 * Shared machinery of the σ-parameterised (k-diffusion style) schedulers:
 * Euler and Euler ancestral keep the latent at scale σ (x = x₀ + σε) and
 * divide the UNet input by √(σ²+1).
 */
import type { Tensor } from "onnxruntime-node";

import { floatData, floatTensor } from "../tensor";
import { BaseScheduler } from "./base";
import { assertOneSigmaSpacing, BASE_DEFAULTS, type BaseSchedulerConfig } from "./config";
import { f32, linspaceFloat32 } from "./numeric";
import { respacedSigmas, sigmasAt, sigmaSpacingOf, sigmaToTimestep, trainingSigmas } from "./sigmas";
import { continuousTimesteps } from "./timesteps";

export interface EulerConfig extends BaseSchedulerConfig {
  use_karras_sigmas: boolean;
  use_exponential_sigmas: boolean;
  use_beta_sigmas: boolean;
  /** Ends of a respaced (Karras/exponential/beta) schedule; the grid's own ends when unset. */
  sigma_min: number | undefined;
  sigma_max: number | undefined;
  /** `log_linear`: n + 1 σ evenly spaced in log σ between the training extremes, instead of σ interpolated at each t. */
  interpolation_type: "linear" | "log_linear";
  /** `continuous` (with v-prediction): the UNet is given t = ¼·ln σ instead of a training timestep (EDM-style models). */
  timestep_type: "discrete" | "continuous";
  final_sigmas_type: "zero" | "sigma_min";
}

export const EULER_DEFAULTS: EulerConfig = {
  ...BASE_DEFAULTS,
  timestep_spacing: "linspace",
  use_karras_sigmas: false,
  use_exponential_sigmas: false,
  use_beta_sigmas: false,
  sigma_min: undefined,
  sigma_max: undefined,
  interpolation_type: "linear",
  timestep_type: "discrete",
  final_sigmas_type: "zero",
};

export abstract class SigmaScheduler<C extends EulerConfig = EulerConfig> extends BaseScheduler<C> {
  /** σ for each timestep plus the final σ (0 unless `final_sigmas_type` is sigma_min). */
  sigmas: number[] = [];
  protected readonly trainSigmas: number[];

  protected constructor(config: C) {
    assertOneSigmaSpacing(config);
    super(config);
    // Zero-terminal-SNR makes ᾱ_T exactly 0 (σ = ∞); diffusers nudges it to 2⁻²⁴.
    if (config.rescale_betas_zero_snr) this.alphasCumprod[this.alphasCumprod.length - 1] = 2 ** -24;
    this.trainSigmas = trainingSigmas(this.alphasCumprod);
  }

  get initNoiseSigma(): number {
    const max = this.sigmas.reduce((m, s) => Math.max(m, s), 0);
    return this.config.timestep_spacing === "leading" ? f32(Math.sqrt(f32(max * max) + 1)) : max;
  }

  setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const { timesteps, sigmas } = this.sigmaSchedule(numInferenceSteps);
    const last = this.config.final_sigmas_type === "sigma_min" ? this.trainSigmas[0]! : 0;
    this.sigmas = [...sigmas, last].map(f32);
    this.timesteps =
      this.config.timestep_type === "continuous" && this.config.prediction_type === "v_prediction"
        ? this.sigmas.slice(0, -1).map((s) => f32(0.25 * Math.log(s)))
        : timesteps;
  }

  /** The σ grid for n steps (without the final σ) and the timesteps the UNet sees at each. */
  protected sigmaSchedule(n: number): { timesteps: number[]; sigmas: number[] } {
    const c = this.config;
    let timesteps = continuousTimesteps(c.timestep_spacing, c.num_train_timesteps, n, c.steps_offset);
    let sigmas =
      c.interpolation_type === "log_linear"
        ? linspaceFloat32(Math.log(this.trainSigmas.at(-1)!), Math.log(this.trainSigmas[0]!), n + 1).map((l) => f32(Math.exp(l)))
        : sigmasAt(timesteps, this.trainSigmas);
    const spacing = sigmaSpacingOf(c);
    if (spacing) {
      sigmas = respacedSigmas(spacing, c.sigma_min ?? sigmas.at(-1)!, c.sigma_max ?? sigmas[0]!, n);
      const logSigmas = this.trainSigmas.map(Math.log);
      timesteps = sigmas.map((s) => f32(sigmaToTimestep(s, logSigmas)));
    }
    return { timesteps, sigmas };
  }

  scaleModelInput(sample: Tensor, timestep: number): Tensor {
    const sigma = this.sigmas[this.currentStepIndex(timestep)]!;
    const divisor = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
    return floatTensor(floatData(sample).map((x) => x / divisor), sample.dims);
  }

  /**
   * x₀ predicted at noise level σ. The element loops below round every
   * operation to float32 in torch's order: these schedulers amplify rounding
   * (latents of scale σ ≈ 15), and diffusers' reference values depend on it.
   */
  protected predictX0(modelOutput: Tensor, sample: Tensor, sigma: number): Float32Array {
    const m = floatData(modelOutput);
    const x = floatData(sample);
    switch (this.config.prediction_type) {
      case "epsilon":
        return x.map((xi, i) => xi - f32(sigma * m[i]!));
      case "v_prediction": {
        const variance = f32(f32(sigma * sigma) + 1);
        const c = f32(-sigma / f32(Math.sqrt(variance)));
        return x.map((xi, i) => f32(m[i]! * c) + f32(xi / variance));
      }
      case "sample":
        return Float32Array.from(m);
      default:
        return this.config.prediction_type satisfies never;
    }
  }

  /** x' = x + (x − x₀)/σ · (σ_target − σ) [+ noise·noiseScale]. */
  protected static eulerUpdate(
    sample: Tensor,
    x0: Float32Array,
    sigma: number,
    sigmaTarget: number,
    noise?: { values: Float32Array; scale: number },
  ): Tensor {
    const x = floatData(sample);
    const dt = f32(sigmaTarget - sigma);
    const out = x.map((xi, i) => xi + f32(f32(f32(xi - x0[i]!) / sigma) * dt));
    if (noise) for (let i = 0; i < out.length; i++) out[i] = out[i]! + f32(noise.values[i]! * noise.scale);
    return floatTensor(out, sample.dims);
  }

  /** Forward process x = x₀ + σ_t·ε, σ looked up per batch item. */
  addNoise(original: Tensor, noise: Tensor, timesteps: readonly number[]): Tensor {
    const perItem = BaseScheduler.perBatch(timesteps, original.dims[0] ?? 1);
    return BaseScheduler.mixPerBatch(
      original,
      noise,
      perItem.map((t) => [1, this.sigmas[this.noiseIndex(t)]!] as const),
      true,
    );
  }

  /** Which σ `addNoise` uses: the schedule position if stepping began, else a lookup (diffusers' rule). */
  private noiseIndex(timestep: number): number {
    if (this.beginIndex === undefined) return this.indexForTimestep(timestep);
    return this.stepIndex ?? this.beginIndex;
  }
}
