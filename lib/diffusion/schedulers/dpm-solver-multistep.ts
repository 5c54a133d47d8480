/**
 * DPM-Solver and DPM-Solver++ multistep (Lu et al., arXiv 2206.00927 and
 * 2211.01095), orders 1–3, deterministic or SDE, as diffusers'
 * `DPMSolverMultistepScheduler`. "DPM++ 2M Karras" is the default
 * (dpmsolver++, order 2) with `use_karras_sigmas`; "DPM++ 2M SDE" is
 * `algorithm_type: "sde-dpmsolver++"`.
 */
import type { Tensor } from "onnxruntime-node";

import { floatTensor, linearCombination } from "../tensor";
import { BaseScheduler, clipPrediction } from "./base";
import { assertOneSigmaSpacing, BASE_DEFAULTS, resolveConfig, type BaseSchedulerConfig } from "./config";
import { alphaSigmaLambda, MultistepSolver, solverGridTimesteps, type Weighted } from "./multistep";
import { f32, interp, linspace, roundHalfEven } from "./numeric";
import { respacedSigmas, sigmaSpacingOf, sigmaToTimestep } from "./sigmas";
import type { Scheduler, SchedulerStepOptions, SchedulerStepOutput } from "./types";

export type DPMAlgorithm = "dpmsolver" | "dpmsolver++" | "sde-dpmsolver" | "sde-dpmsolver++";

export interface DPMSolverConfig extends BaseSchedulerConfig {
  solver_order: number;
  algorithm_type: DPMAlgorithm | "deis";
  solver_type: "midpoint" | "heun" | "bh1" | "bh2" | "logrho";
  lower_order_final: boolean;
  euler_at_final: boolean;
  use_karras_sigmas: boolean;
  use_exponential_sigmas: boolean;
  use_beta_sigmas: boolean;
  use_lu_lambdas: boolean;
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
  use_exponential_sigmas: false,
  use_beta_sigmas: false,
  use_lu_lambdas: false,
  final_sigmas_type: "zero",
  lambda_min_clipped: -Infinity,
  thresholding: false,
  dynamic_thresholding_ratio: 0.995,
  sample_max_value: 1,
};

/** Below this many steps diffusers drops to lower orders at the end for stability. */
const LOWER_ORDER_FINAL_MAX_STEPS = 15;

/** The stored outputs are x₀ for the ++ variants and ε for the others. */
export class DPMSolverMultistepScheduler extends MultistepSolver<DPMSolverConfig> implements Scheduler {
  readonly name = "DPMSolverMultistepScheduler";
  readonly algorithm: DPMAlgorithm;
  private readonly solverType: "midpoint" | "heun";

  constructor(config: DPMSolverConfig) {
    assertOneSigmaSpacing(config);
    // As diffusers: a DEIS config means dpmsolver++, and another solver's solver_type means midpoint.
    const algorithm = config.algorithm_type === "deis" ? "dpmsolver++" : config.algorithm_type;
    if ((algorithm === "dpmsolver" || algorithm === "sde-dpmsolver") && config.final_sigmas_type === "zero") {
      throw new RangeError(`scheduler config final_sigmas_type: "zero" does not work with algorithm_type "${algorithm}"; use "sigma_min"`);
    }
    if (algorithm === "sde-dpmsolver" && config.solver_order === 3) {
      throw new RangeError('scheduler config solver_order: 3 is not defined for algorithm_type "sde-dpmsolver" (1 or 2)');
    }
    super(config);
    this.algorithm = algorithm;
    this.solverType = config.solver_type === "heun" ? "heun" : "midpoint";
  }

  static fromConfig(raw: unknown): DPMSolverMultistepScheduler {
    return new DPMSolverMultistepScheduler(resolveConfig(raw, DPM_SOLVER_DEFAULTS));
  }

  get isStochastic(): boolean {
    return this.algorithm === "sde-dpmsolver" || this.algorithm === "sde-dpmsolver++";
  }

  setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const c = this.config;
    const n = numInferenceSteps;
    let timesteps = solverGridTimesteps(c, n, c.num_train_timesteps - this.clippedCount());
    const logSigmas = this.trainSigmas.map((s) => f32(Math.log(s)));
    const sigmaMin = this.trainSigmas[0]!;
    const sigmaMax = this.trainSigmas.at(-1)!;
    // Karras and Lu grids round their timesteps (except on the cosine schedule); the others truncate, as diffusers' int64 cast does.
    const rounded = c.beta_schedule === "squaredcos_cap_v2" ? Math.trunc : roundHalfEven;
    const spacing = sigmaSpacingOf(c);
    let sigmas: number[];
    if (spacing) {
      sigmas = respacedSigmas(spacing, sigmaMin, sigmaMax, n);
      timesteps = sigmas.map((s) => (spacing === "karras" ? rounded : Math.trunc)(sigmaToTimestep(s, logSigmas)));
    } else if (c.use_lu_lambdas) {
      // diffusers' "λ" here is ln σ: uniform steps in log σ between the training extremes.
      sigmas = linspace(logSigmas.at(-1)!, logSigmas[0]!, n).map(Math.exp);
      timesteps = sigmas.map((s) => rounded(sigmaToTimestep(s, logSigmas)));
    } else {
      const grid = this.trainSigmas.map((_, i) => i);
      sigmas = timesteps.map((t) => interp(t, grid, this.trainSigmas));
    }
    const last = c.final_sigmas_type === "sigma_min" ? sigmaMin : 0;
    this.sigmas = [...sigmas, last].map(f32);
    this.timesteps = timesteps;
    this.modelOutputs = [];
    this.lowerOrderCount = 0;
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const c = this.config;
    const steps = this.timesteps.length;
    const isFew = c.lower_order_final && steps < LOWER_ORDER_FINAL_MAX_STEPS;
    // The last step is first order when it lands on σ = 0 or the schedule is short; the one before, at most second.
    const finalFirstOrder = index === steps - 1 && (c.euler_at_final || isFew || c.final_sigmas_type === "zero");
    const secondLastSecondOrder = index === steps - 2 && isFew;

    const converted = this.convertModelOutput(modelOutput, sample, this.sigmas[index]!);
    this.modelOutputs = [...this.modelOutputs, converted].slice(-c.solver_order);
    const noise = this.isStochastic
      ? floatTensor(BaseScheduler.requireGenerator(options, this.name).randn(modelOutput.dims), modelOutput.dims)
      : undefined;

    let order = 3;
    if (c.solver_order === 1 || this.lowerOrderCount < 1 || finalFirstOrder) order = 1;
    else if (c.solver_order === 2 || this.lowerOrderCount < 2 || secondLastSecondOrder) order = 2;
    const prevSample = this.update(order, sample, index, noise);
    if (this.lowerOrderCount < c.solver_order) this.lowerOrderCount++;
    this.stepIndex = index + 1;
    return { prevSample, ...(this.algorithm.endsWith("++") && { predOriginalSample: converted }) };
  }

  /** Timesteps removed from the top by `lambda_min_clipped` (λ below it is too noisy to use). */
  private clippedCount(): number {
    const lambdas = this.alphasCumprod.map((a) => Math.log(Math.sqrt(a)) - Math.log(Math.sqrt(1 - a))).reverse();
    const index = lambdas.findIndex((l) => l >= this.config.lambda_min_clipped);
    return index === -1 ? lambdas.length : index;
  }

  /** x₀ for the data-prediction (++) solvers, ε for the noise-prediction ones; thresholding acts on x₀ either way. */
  private convertModelOutput(modelOutput: Tensor, sample: Tensor, sigma: number): Tensor {
    const { x0, epsilon } = MultistepSolver.split(this.config.prediction_type, modelOutput, sample, sigma);
    const threshold = (x: Tensor) => clipPrediction(x, { ...this.config, clip_sample: false, clip_sample_range: 1 });
    if (this.algorithm.endsWith("++")) return threshold(x0);
    if (!this.config.thresholding) return epsilon;
    const { alpha, sigma: sigmaT } = alphaSigmaLambda(sigma);
    return linearCombination([[1 / sigmaT, sample], [-alpha / sigmaT, threshold(x0)]]);
  }

  /**
   * One multistep update of the given order from σ_s0 = sigmas[index] to
   * σ_t = sigmas[index + 1]: x_t = c·x + w₀·D₀ + w₁·D₁ + w₂·D₂ (+ noise), where
   * D₀ is the newest converted output and D₁, D₂ its divided differences in λ.
   */
  private update(order: number, sample: Tensor, index: number, noise: Tensor | undefined): Tensor {
    const t = alphaSigmaLambda(this.sigmas[index + 1]!);
    const s0 = alphaSigmaLambda(this.sigmas[index]!);
    const h = t.lambda - s0.lambda;
    const w = dpmWeights(this.algorithm, this.solverType, order, { alphaT: t.alpha, sigmaT: t.sigma, alphaS: s0.alpha, sigmaS: s0.sigma, h });
    const lambdas = [s0.lambda];
    for (let k = 1; k < order; k++) lambdas.push(alphaSigmaLambda(this.sigmas[index - k]!).lambda);
    const outputs = this.modelOutputs.slice(-order).reverse();
    const terms: Weighted[] = [[w.sample, sample], ...expandDifferences(outputs, lambdas, h, [w.d0, w.d1, w.d2])];
    if (noise && w.noise !== 0) terms.push([w.noise, noise]);
    return linearCombination(terms);
  }
}

interface StepScalars {
  alphaT: number;
  sigmaT: number;
  alphaS: number;
  sigmaS: number;
  h: number;
}

/** diffusers' update coefficients per algorithm and order (D₁ and D₂ weights are 0 below orders 2 and 3). */
function dpmWeights(algorithm: DPMAlgorithm, solverType: "midpoint" | "heun", order: number, s: StepScalars) {
  const { alphaT, sigmaT, alphaS, sigmaS, h } = s;
  const em = Math.expm1(-h); // e^{−h} − 1
  const ep = Math.expm1(h); // e^{h} − 1
  const e2 = -Math.expm1(-2 * h); // 1 − e^{−2h}
  const midpoint = order === 2 && solverType === "midpoint";
  switch (algorithm) {
    case "dpmsolver++":
      return {
        sample: sigmaT / sigmaS,
        d0: -alphaT * em,
        d1: order < 2 ? 0 : midpoint ? -0.5 * alphaT * em : alphaT * (em / h + 1),
        d2: order < 3 ? 0 : -alphaT * ((em + h) / h ** 2 - 0.5),
        noise: 0,
      };
    case "dpmsolver":
      return {
        sample: alphaT / alphaS,
        d0: -sigmaT * ep,
        d1: order < 2 ? 0 : midpoint ? -0.5 * sigmaT * ep : -sigmaT * (ep / h - 1),
        d2: order < 3 ? 0 : -sigmaT * ((ep - h) / h ** 2 - 0.5),
        noise: 0,
      };
    case "sde-dpmsolver++":
      return {
        sample: (sigmaT / sigmaS) * Math.exp(-h),
        d0: alphaT * e2,
        d1: order < 2 ? 0 : midpoint ? 0.5 * alphaT * e2 : alphaT * (e2 / (-2 * h) + 1),
        d2: order < 3 ? 0 : alphaT * ((e2 - 2 * h) / (2 * h) ** 2 - 0.5),
        noise: sigmaT * Math.sqrt(e2),
      };
    case "sde-dpmsolver":
      return {
        sample: alphaT / alphaS,
        d0: -2 * sigmaT * ep,
        d1: order < 2 ? 0 : midpoint ? -sigmaT * ep : -2 * sigmaT * (ep / h - 1),
        d2: 0,
        noise: sigmaT * Math.sqrt(Math.expm1(2 * h)),
      };
    default:
      return algorithm satisfies never;
  }
}

/**
 * Σ w_k·D_k written over the stored outputs m₀ (newest), m₁, m₂, with diffusers'
 * D₁ = (m₀ − m₁)/r₀ at order 2 and its second-order-accurate D₁, D₂ at order 3
 * (r_k = (λ_{s_k} − λ_{s_{k+1}})/h).
 */
function expandDifferences(outputs: readonly Tensor[], lambdas: readonly number[], h: number, weights: readonly number[]): Weighted[] {
  const [w0, w1, w2] = weights as [number, number, number];
  const coefficients = [w0, 0, 0];
  if (outputs.length === 2) {
    const r0 = (lambdas[0]! - lambdas[1]!) / h;
    coefficients[0]! += w1 / r0;
    coefficients[1]! -= w1 / r0;
  } else if (outputs.length === 3) {
    const r0 = (lambdas[0]! - lambdas[1]!) / h;
    const r1 = (lambdas[1]! - lambdas[2]!) / h;
    const d10 = [1 / r0, -1 / r0, 0];
    const diff = [1 / r0, -1 / r0 - 1 / r1, 1 / r1]; // D1_0 − D1_1
    for (let k = 0; k < 3; k++) {
      const d1 = d10[k]! + (r0 / (r0 + r1)) * diff[k]!;
      const d2 = diff[k]! / (r0 + r1);
      coefficients[k]! += w1 * d1 + w2 * d2;
    }
  }
  return outputs.map((m, k) => [coefficients[k]!, m] as const);
}
