/**
 * What the exponential-integrator multistep solvers (DPM-Solver, UniPC) share:
 * the VP quantities of a k-diffusion σ and their timestep grid.
 */
import type { Tensor } from "onnxruntime-node";

import type { BaseSchedulerConfig } from "./config";
import { linspace, roundHalfEven } from "./numeric";
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
