/**
 * DPM-Solver++ multistep (Lu et al., arXiv 2211.01095), first and second order,
 * as diffusers' `DPMSolverMultistepScheduler` with `algorithm_type: "dpmsolver++"`.
 * "DPM++ 2M Karras" is this with `use_karras_sigmas: true`.
 */
import type { Tensor } from "onnxruntime-node";

import { linearCombination } from "../tensor";
import { BaseScheduler, clipPrediction } from "./base";
import { BASE_DEFAULTS, resolveConfig, type BaseSchedulerConfig } from "./config";
import { f32, interp, linspace, roundHalfEven } from "./numeric";
import { karrasSigmas, sigmaToTimestep, trainingSigmas } from "./sigmas";
import { arangeDown } from "./timesteps";
import type { Scheduler, SchedulerStepOutput } from "./types";

export interface DPMSolverConfig extends BaseSchedulerConfig {
  solver_order: number;
  algorithm_type: string;
  solver_type: "midpoint" | "heun";
  lower_order_final: boolean;
  euler_at_final: boolean;
  use_karras_sigmas: boolean;
  final_sigmas_type: "zero" | "sigma_min";
  lambda_min_clipped: number;
  thresholding: boolean;
  dynamic_thresholding_ratio: number;
  sample_max_value: number;
}

export const DPM_SOLVER_DEFAULTS: DPMSolverConfig = {
  ...BASE_DEFAULTS,
  timestep_spacing: "linspace",
  solver_order: 2,
  algorithm_type: "dpmsolver++",
  solver_type: "midpoint",
  lower_order_final: true,
  euler_at_final: false,
  use_karras_sigmas: false,
  final_sigmas_type: "zero",
  lambda_min_clipped: -Infinity,
  thresholding: false,
  dynamic_thresholding_ratio: 0.995,
  sample_max_value: 1,
};

/** Below this many steps diffusers drops to lower orders at the end for stability. */
const LOWER_ORDER_FINAL_MAX_STEPS = 15;

/** α_t, σ_t and λ_t = ln(α_t/σ_t) of the VP process, from the k-diffusion σ. */
function alphaSigmaLambda(sigma: number) {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  const sigmaT = sigma * alpha;
  return { alpha, sigma: sigmaT, lambda: Math.log(alpha) - Math.log(sigmaT) };
}

export class DPMSolverMultistepScheduler extends BaseScheduler<DPMSolverConfig> implements Scheduler {
  readonly name = "DPMSolverMultistepScheduler";
  readonly initNoiseSigma = 1;
  sigmas: number[] = [];
  private readonly trainSigmas: number[];
  /** x₀ predictions of the previous steps, oldest first (length ≤ solver_order). */
  private modelOutputs: Tensor[] = [];
  private lowerOrderCount = 0;

  constructor(config: DPMSolverConfig) {
    if (config.algorithm_type !== "dpmsolver++") {
      throw new RangeError(`DPMSolverMultistepScheduler supports algorithm_type "dpmsolver++", got "${config.algorithm_type}"`);
    }
    if (config.solver_order > 2) throw new RangeError(`solver_order ${config.solver_order} is not supported (1 or 2)`);
    super(config);
    this.trainSigmas = trainingSigmas(this.alphasCumprod);
  }

  static fromConfig(raw: unknown): DPMSolverMultistepScheduler {
    return new DPMSolverMultistepScheduler(resolveConfig(raw, DPM_SOLVER_DEFAULTS));
  }

  setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const c = this.config;
    const lastTimestep = c.num_train_timesteps - this.clippedCount();
    const n = numInferenceSteps;
    let timesteps: number[];
    switch (c.timestep_spacing) {
      case "linspace":
        timesteps = linspace(0, lastTimestep - 1, n + 1).map(roundHalfEven).reverse().slice(0, n);
        break;
      case "leading": {
        const ratio = Math.floor(lastTimestep / (n + 1));
        timesteps = Array.from({ length: n }, (_, i) => (n - i) * ratio + c.steps_offset);
        break;
      }
      case "trailing":
        timesteps = arangeDown(lastTimestep, c.num_train_timesteps / n).map((t) => roundHalfEven(t) - 1);
        break;
      default:
        timesteps = c.timestep_spacing satisfies never;
    }
    let sigmas: number[];
    if (c.use_karras_sigmas) {
      sigmas = karrasSigmas(this.trainSigmas[0]!, this.trainSigmas[this.trainSigmas.length - 1]!, n);
      const logSigmas = this.trainSigmas.map(Math.log);
      timesteps = sigmas.map((s) => roundHalfEven(sigmaToTimestep(s, logSigmas)));
    } else {
      const grid = this.trainSigmas.map((_, i) => i);
      sigmas = timesteps.map((t) => interp(t, grid, this.trainSigmas));
    }
    const last = c.final_sigmas_type === "sigma_min" ? this.trainSigmas[0]! : 0;
    this.sigmas = [...sigmas, last].map(f32);
    this.timesteps = timesteps;
    this.modelOutputs = [];
    this.lowerOrderCount = 0;
  }

  scaleModelInput(sample: Tensor): Tensor {
    return sample;
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const c = this.config;
    const steps = this.timesteps.length;
    const isFew = c.lower_order_final && steps < LOWER_ORDER_FINAL_MAX_STEPS;
    // The last step is first order when it lands on σ = 0 or the schedule is short.
    const finalFirstOrder = index === steps - 1 && (c.euler_at_final || isFew || c.final_sigmas_type === "zero");

    const x0 = this.predictX0(modelOutput, sample, this.sigmas[index]!);
    this.modelOutputs = [...this.modelOutputs, x0].slice(-c.solver_order);

    const useFirstOrder = c.solver_order === 1 || this.lowerOrderCount < 1 || finalFirstOrder;
    const prevSample = useFirstOrder ? this.firstOrderUpdate(x0, sample, index) : this.secondOrderUpdate(sample, index);
    if (this.lowerOrderCount < c.solver_order) this.lowerOrderCount++;
    this.stepIndex = index + 1;
    return { prevSample, predOriginalSample: x0 };
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

  /** Timesteps removed from the top by `lambda_min_clipped` (λ below it is too noisy to use). */
  private clippedCount(): number {
    const lambdas = this.alphasCumprod.map((a) => Math.log(Math.sqrt(a)) - Math.log(Math.sqrt(1 - a))).reverse();
    const index = lambdas.findIndex((l) => l >= this.config.lambda_min_clipped);
    return index === -1 ? lambdas.length : index;
  }

  /** Diffusers' "missing timestep" rule: an unknown t means the last step. */
  protected override indexForTimestep(timestep: number): number {
    return this.timesteps.includes(timestep) ? super.indexForTimestep(timestep) : this.timesteps.length - 1;
  }

  private predictX0(modelOutput: Tensor, sample: Tensor, sigma: number): Tensor {
    const { alpha, sigma: sigmaT } = alphaSigmaLambda(sigma);
    let x0: Tensor;
    switch (this.config.prediction_type) {
      case "epsilon":
        x0 = linearCombination([[1 / alpha, sample], [-sigmaT / alpha, modelOutput]]);
        break;
      case "v_prediction":
        x0 = linearCombination([[alpha, sample], [-sigmaT, modelOutput]]);
        break;
      case "sample":
        x0 = modelOutput;
        break;
      default:
        x0 = this.config.prediction_type satisfies never;
    }
    return clipPrediction(x0, { ...this.config, clip_sample: false, clip_sample_range: 1 });
  }

  /** DPM-Solver++(1), i.e. DDIM in λ: x' = (σ'/σ)x − α'(e^{−h} − 1)x₀. */
  private firstOrderUpdate(x0: Tensor, sample: Tensor, index: number): Tensor {
    const s = alphaSigmaLambda(this.sigmas[index]!);
    const t = alphaSigmaLambda(this.sigmas[index + 1]!);
    const h = t.lambda - s.lambda;
    return linearCombination([[t.sigma / s.sigma, sample], [-t.alpha * Math.expm1(-h), x0]]);
  }

  /** DPM-Solver++(2M): a linear extrapolation of x₀ from the last two steps. */
  private secondOrderUpdate(sample: Tensor, index: number): Tensor {
    const [m1, m0] = this.modelOutputs.slice(-2) as [Tensor, Tensor];
    const t = alphaSigmaLambda(this.sigmas[index + 1]!);
    const s0 = alphaSigmaLambda(this.sigmas[index]!);
    const s1 = alphaSigmaLambda(this.sigmas[index - 1]!);
    const h = t.lambda - s0.lambda;
    const r0 = (s0.lambda - s1.lambda) / h;
    const phi = Math.expm1(-h);
    // D1 = (m0 − m1)/r0; midpoint adds ½D1, heun adds ((e^{−h}−1)/h + 1)·D1.
    const d1Weight = this.config.solver_type === "midpoint" ? -0.5 * t.alpha * phi : t.alpha * (phi / h + 1);
    return linearCombination([
      [t.sigma / s0.sigma, sample],
      [-t.alpha * phi + d1Weight / r0, m0],
      [-d1Weight / r0, m1],
    ]);
  }
}
