/**
 * UniPC (Zhao et al., arXiv 2302.04867), as diffusers' `UniPCMultistepScheduler`:
 * a multistep predictor (UniP) whose result is refined by a corrector (UniC)
 * once the model has been evaluated at the new point, so the correction costs
 * no extra evaluation. `bh1` / `bh2` pick B(h) = h or e^h − 1 (bh1 is
 * recommended below 10 steps, bh2 above).
 */
import type { Tensor } from "onnxruntime-node";

import { linearCombination } from "../tensor";
import { clipPrediction } from "./base";
import { assertOneSigmaSpacing, BASE_DEFAULTS, resolveConfig, type BaseSchedulerConfig } from "./config";
import { alphaSigmaLambda, MultistepSolver, solverGridTimesteps, type Weighted } from "./multistep";
import { f32, interp, roundHalfEven, solveLinear } from "./numeric";
import { respacedSigmas, sigmaSpacingOf, sigmaToTimestep } from "./sigmas";
import type { Scheduler, SchedulerStepOutput } from "./types";

export interface UniPCConfig extends BaseSchedulerConfig {
  solver_order: number;
  solver_type: "midpoint" | "heun" | "bh1" | "bh2" | "logrho";
  /** Solve for x₀ (data prediction, the default) or for ε. */
  predict_x0: boolean;
  lower_order_final: boolean;
  /** Step indices whose corrector is skipped (it can hurt at high guidance early on). */
  disable_corrector: number[];
  use_karras_sigmas: boolean;
  use_exponential_sigmas: boolean;
  use_beta_sigmas: boolean;
  sigma_min: number | undefined;
  sigma_max: number | undefined;
  final_sigmas_type: "zero" | "sigma_min";
  thresholding: boolean;
  dynamic_thresholding_ratio: number;
  sample_max_value: number;
}

export const UNIPC_DEFAULTS: UniPCConfig = {
  ...BASE_DEFAULTS,
  timestep_spacing: "linspace",
  solver_order: 2,
  solver_type: "bh2",
  predict_x0: true,
  lower_order_final: true,
  disable_corrector: [],
  use_karras_sigmas: false,
  use_exponential_sigmas: false,
  use_beta_sigmas: false,
  sigma_min: undefined,
  sigma_max: undefined,
  final_sigmas_type: "zero",
  thresholding: false,
  dynamic_thresholding_ratio: 0.995,
  sample_max_value: 1,
};

export class UniPCMultistepScheduler extends MultistepSolver<UniPCConfig> implements Scheduler {
  readonly name = "UniPCMultistepScheduler";
  /** DPM-Solver's and DEIS's solver types mean bh2 here, as in diffusers. */
  private readonly variant: "bh1" | "bh2";
  private lastSample: Tensor | undefined;
  private lastOrder = 1;

  constructor(config: UniPCConfig) {
    assertOneSigmaSpacing(config);
    super(config);
    this.variant = config.solver_type === "bh1" ? "bh1" : "bh2";
  }

  static fromConfig(raw: unknown): UniPCMultistepScheduler {
    return new UniPCMultistepScheduler(resolveConfig(raw, UNIPC_DEFAULTS));
  }

  setTimesteps(numInferenceSteps: number): void {
    this.resetStepState(numInferenceSteps);
    const c = this.config;
    const n = numInferenceSteps;
    let timesteps = solverGridTimesteps(c, n, c.num_train_timesteps);
    const spacing = sigmaSpacingOf(c);
    let sigmas: number[];
    let last: number;
    if (spacing) {
      const logSigmas = this.trainSigmas.map((s) => f32(Math.log(s)));
      sigmas = respacedSigmas(spacing, c.sigma_min ?? this.trainSigmas[0]!, c.sigma_max ?? this.trainSigmas.at(-1)!, n);
      // Karras timesteps are rounded, the others truncated by diffusers' int64 cast.
      timesteps = sigmas.map((s) => (spacing === "karras" ? roundHalfEven : Math.trunc)(sigmaToTimestep(s, logSigmas)));
      last = c.final_sigmas_type === "sigma_min" ? sigmas.at(-1)! : 0;
    } else {
      const grid = this.trainSigmas.map((_, i) => i);
      sigmas = timesteps.map((t) => interp(t, grid, this.trainSigmas));
      last = c.final_sigmas_type === "sigma_min" ? this.trainSigmas[0]! : 0;
    }
    this.sigmas = [...sigmas, last].map(f32);
    this.timesteps = timesteps;
    this.modelOutputs = [];
    this.lowerOrderCount = 0;
    this.lastSample = undefined;
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const c = this.config;
    const converted = this.convertModelOutput(modelOutput, sample, this.sigmas[index]!);
    const useCorrector = index > 0 && !c.disable_corrector.includes(index - 1) && this.lastSample !== undefined;
    const corrected = useCorrector ? this.correct(converted, this.lastSample!, sample, index) : sample;

    this.modelOutputs = [...this.modelOutputs, converted].slice(-c.solver_order);
    const wanted = c.lower_order_final ? Math.min(c.solver_order, this.timesteps.length - index) : c.solver_order;
    this.lastOrder = Math.min(wanted, this.lowerOrderCount + 1); // warm-up: no more history than steps taken
    this.lastSample = corrected;
    const prevSample = this.predict(corrected, index, this.lastOrder);
    if (this.lowerOrderCount < c.solver_order) this.lowerOrderCount++;
    this.stepIndex = index + 1;
    return { prevSample, ...(c.predict_x0 && { predOriginalSample: converted }) };
  }

  /** x₀ (dynamically thresholded if configured) when solving in x₀, else ε. */
  private convertModelOutput(modelOutput: Tensor, sample: Tensor, sigma: number): Tensor {
    const { x0, epsilon } = MultistepSolver.split(this.config.prediction_type, modelOutput, sample, sigma);
    return this.config.predict_x0 ? clipPrediction(x0, { ...this.config, clip_sample: false, clip_sample_range: 1 }) : epsilon;
  }

  /** UniP: from `sample` at sigmas[index] to sigmas[index + 1] using the last `order` outputs. */
  private predict(sample: Tensor, index: number, order: number): Tensor {
    const history = this.modelOutputs.slice(-order).reverse(); // m₀ newest
    const sigmaIndices = Array.from({ length: order }, (_, k) => index - k);
    const { base, rks, hh, bH, scale } = this.setUp(index + 1, index, sigmaIndices);
    const { R, b } = uniSystem(rks, hh, bH, order);
    const rhos = order === 1 ? [] : order === 2 ? [0.5] : solveLinear(dropLast(R), b.slice(0, -1));
    return linearCombination([...base(sample, history[0]!), ...differenceTerms(history, rks, rhos, -scale * bH)]);
  }

  /** UniC: refines the sample the last prediction produced, now that the model has been evaluated there. */
  private correct(modelT: Tensor, lastSample: Tensor, sample: Tensor, index: number): Tensor {
    const order = this.lastOrder;
    const history = this.modelOutputs.slice(-order).reverse(); // m₀ = the previous step's output
    const sigmaIndices = Array.from({ length: order }, (_, k) => index - 1 - k);
    const { base, rks, hh, bH, scale } = this.setUp(index, index - 1, sigmaIndices);
    const { R, b } = uniSystem(rks, hh, bH, order);
    const rhos = order === 1 ? [0.5] : solveLinear(R, b);
    const weight = -scale * bH;
    const rhoT = rhos.at(-1)!;
    return linearCombination([
      ...base(lastSample, history[0]!),
      ...differenceTerms(history, rks, rhos.slice(0, -1), weight),
      [weight * rhoT, modelT],
      [-weight * rhoT, history[0]!],
    ]);
  }

  /**
   * Scalars of an update from sigmas[from] to sigmas[to]: the first-order part
   * (x_t = (σ_t/σ_s)x − α_t(e^{−h}−1)m₀ for x₀, the α/σ swap for ε), r_k of
   * the older points and B(h).
   */
  private setUp(to: number, from: number, sigmaIndices: readonly number[]) {
    const t = alphaSigmaLambda(this.sigmas[to]!);
    const s0 = alphaSigmaLambda(this.sigmas[from]!);
    const h = t.lambda - s0.lambda;
    const rks = sigmaIndices.slice(1).map((i) => (alphaSigmaLambda(this.sigmas[i]!).lambda - s0.lambda) / h);
    const x0 = this.config.predict_x0;
    const hh = x0 ? -h : h;
    const hPhi1 = Math.expm1(hh);
    const bH = this.variant === "bh1" ? hh : Math.expm1(hh);
    const scale = x0 ? t.alpha : t.sigma;
    const base = (x: Tensor, m0: Tensor): Weighted[] => [
      [x0 ? t.sigma / s0.sigma : t.alpha / s0.alpha, x],
      [-scale * hPhi1, m0],
    ];
    return { base, rks, hh, bH, scale };
  }
}

/** The order conditions R·ρ = b: rows r^{i−1} (with r = 1 for the new point), b_i = i!·φ_{i+1}(hh)·hh/B(h). */
function uniSystem(rks: readonly number[], hh: number, bH: number, order: number) {
  const all = [...rks, 1];
  const R: number[][] = [];
  const b: number[] = [];
  let hPhiK = Math.expm1(hh) / hh - 1;
  let factorial = 1;
  for (let i = 1; i <= order; i++) {
    R.push(all.map((r) => r ** (i - 1)));
    b.push((hPhiK * factorial) / bH);
    factorial *= i + 1;
    hPhiK = hPhiK / hh - 1 / factorial;
  }
  return { R, b };
}

function dropLast(matrix: readonly number[][]): number[][] {
  return matrix.slice(0, -1).map((row) => row.slice(0, -1));
}

/** weight·Σ ρ_k·D_k with D_k = (m_k − m₀)/r_k, written over the outputs. */
function differenceTerms(history: readonly Tensor[], rks: readonly number[], rhos: readonly number[], weight: number): Weighted[] {
  const terms: Weighted[] = [];
  rhos.forEach((rho, k) => {
    const c = (weight * rho) / rks[k]!;
    terms.push([c, history[k + 1]!], [-c, history[0]!]);
  });
  return terms;
}
