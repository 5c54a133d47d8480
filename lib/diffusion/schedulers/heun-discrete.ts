/**
 * Heun's method on the probability-flow ODE (Karras et al. 2022, Algorithm 1
 * without churn), as diffusers' `HeunDiscreteScheduler`. Every step but the last
 * evaluates the model twice: an Euler predictor to σ_next, then a corrector
 * that averages the slopes at σ and σ_next. Like diffusers, the schedule lists
 * each inner timestep twice ([t₀, t₁, t₁, …, tₙ₋₁, tₙ₋₁]: 2n − 1 evaluations)
 * and `step` alternates between the two halves.
 */
import type { Tensor } from "onnxruntime-node";

import { floatData, floatTensor } from "../tensor";
import { clipPrediction } from "./base";
import { BASE_DEFAULTS, resolveConfig } from "./config";
import { f32 } from "./numeric";
import { EULER_DEFAULTS, type EulerConfig, SigmaScheduler } from "./sigma-scheduler";
import type { Scheduler, SchedulerStepOutput } from "./types";

export interface HeunConfig extends EulerConfig {
  clip_sample: boolean;
  clip_sample_range: number;
}

/** The keys diffusers' Heun reads, with its defaults (note the SD betas with a *linear* schedule). */
const HEUN_READS = {
  ...BASE_DEFAULTS,
  beta_start: 0.00085,
  beta_end: 0.012,
  timestep_spacing: "linspace" as const,
  use_karras_sigmas: false,
  use_exponential_sigmas: false,
  use_beta_sigmas: false,
  clip_sample: false,
  clip_sample_range: 1,
};

export class HeunDiscreteScheduler extends SigmaScheduler<HeunConfig> implements Scheduler {
  readonly name = "HeunDiscreteScheduler";
  override readonly order = 2;
  /** Set between the predictor and the corrector: the first half's slope, step size and starting sample. */
  private pending: { derivative: Float32Array; dt: number; sample: Float32Array } | undefined;

  constructor(config: HeunConfig) {
    super(config);
  }

  static fromConfig(raw: unknown): HeunDiscreteScheduler {
    // Heun has no rescale, log-linear, continuous-time or final-σ options; the Euler ones stay at their defaults.
    return new HeunDiscreteScheduler({ ...EULER_DEFAULTS, ...resolveConfig(raw, HEUN_READS), rescale_betas_zero_snr: false });
  }

  /** True between the two model evaluations of one step. */
  get isMidStep(): boolean {
    return this.pending !== undefined;
  }

  override setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const { timesteps, sigmas } = this.sigmaSchedule(numInferenceSteps);
    const inner = sigmas.slice(1).map(f32);
    this.sigmas = [f32(sigmas[0]!), ...inner.flatMap((s) => [s, s]), 0];
    this.timesteps = [f32(timesteps[0]!), ...timesteps.slice(1).flatMap((t) => [f32(t), f32(t)])];
    this.pending = undefined;
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const pending = this.pending;
    // Predictor: σ → σ_next from this evaluation. Corrector: the same interval, re-evaluated at σ_next.
    const sigma = pending ? this.sigmas[index - 1]! : this.sigmas[index]!;
    const sigmaNext = pending ? this.sigmas[index]! : this.sigmas[index + 1]!;
    const predicted = floatTensor(this.predictX0(modelOutput, sample, pending ? sigmaNext : sigma), sample.dims);
    const x0 = floatData(clipPrediction(predicted, { ...this.config, thresholding: false, dynamic_thresholding_ratio: 1, sample_max_value: 1 }));
    const x = floatData(sample);
    let out: Float32Array;
    if (!pending) {
      const derivative = x.map((xi, i) => f32(xi - x0[i]!) / sigma);
      const dt = f32(sigmaNext - sigma);
      // The last step (to σ = 0) has no corrector, so it leaves nothing pending.
      const isLast = index === this.timesteps.length - 1;
      this.pending = isLast ? undefined : { derivative, dt, sample: Float32Array.from(x) };
      out = x.map((xi, i) => xi + f32(derivative[i]! * dt));
    } else {
      const derivative = x.map((xi, i) => f32(f32(f32(xi - x0[i]!) / sigmaNext) + pending.derivative[i]!) / 2);
      out = pending.sample.map((xi, i) => xi + f32(derivative[i]! * pending.dt));
      this.pending = undefined;
    }
    this.stepIndex = index + 1;
    return { prevSample: floatTensor(out, sample.dims), predOriginalSample: floatTensor(x0, sample.dims) };
  }
}
