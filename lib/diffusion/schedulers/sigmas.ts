/** Karras-style σ schedules and the σ ↔ t mappings of the k-diffusion family. */
import { betaPpf, f32, interp, linspace } from "./numeric";

/** σ_t = √((1 − ᾱ_t)/ᾱ_t) for every training step, as float32. */
export function trainingSigmas(alphasCumprod: readonly number[]): number[] {
  return alphasCumprod.map((a) => f32(Math.sqrt(f32(f32(1 - a) / a))));
}

/** σ at (possibly fractional) timesteps by linear interpolation over the training grid. */
export function sigmasAt(timesteps: readonly number[], trainSigmas: readonly number[]): number[] {
  const grid = trainSigmas.map((_, i) => i);
  return timesteps.map((t) => interp(t, grid, trainSigmas));
}

/** Karras et al. (2022) eq. 5 with ρ = 7, from `sigmaMax` down to `sigmaMin`. */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, n: number, rho = 7): number[] {
  const minInv = sigmaMin ** (1 / rho);
  const maxInv = sigmaMax ** (1 / rho);
  return linspace(0, 1, n).map((r) => (maxInv + r * (minInv - maxInv)) ** rho);
}

/** Fractional timestep whose σ is `sigma`, interpolating linearly in log σ. */
export function sigmaToTimestep(sigma: number, logSigmas: readonly number[]): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  // Last index whose log σ is ≤ the target, kept one short of the end so `high` exists.
  let low = 0;
  for (let i = 0; i < logSigmas.length; i++) if (logSigma - logSigmas[i]! >= 0) low = i;
  low = Math.min(low, logSigmas.length - 2);
  const lo = logSigmas[low]!;
  const hi = logSigmas[low + 1]!;
  const w = Math.min(Math.max((lo - logSigma) / (lo - hi), 0), 1);
  return (1 - w) * low + w * (low + 1);
}

/** σ evenly spaced in log σ (diffusers' `use_exponential_sigmas`), from `sigmaMax` down to `sigmaMin`. */
export function exponentialSigmas(sigmaMin: number, sigmaMax: number, n: number): number[] {
  return linspace(Math.log(sigmaMax), Math.log(sigmaMin), n).map(Math.exp);
}

/**
 * "Beta Sampling is All You Need" (arXiv 2407.12173): σ placed at the quantiles of
 * Beta(0.6, 0.6), which crowds steps at both ends of the schedule.
 */
export function betaSigmas(sigmaMin: number, sigmaMax: number, n: number, alpha = 0.6, beta = 0.6): number[] {
  return linspace(0, 1, n).map((r) => sigmaMin + betaPpf(1 - r, alpha, beta) * (sigmaMax - sigmaMin));
}

export type SigmaSpacing = "karras" | "exponential" | "beta";

/** Which of the mutually exclusive σ respacings a config asks for (validated in ./config.ts). */
export function sigmaSpacingOf(config: { use_karras_sigmas: boolean; use_exponential_sigmas: boolean; use_beta_sigmas: boolean }): SigmaSpacing | undefined {
  if (config.use_karras_sigmas) return "karras";
  if (config.use_exponential_sigmas) return "exponential";
  if (config.use_beta_sigmas) return "beta";
  return undefined;
}

/** n σ from `sigmaMax` down to `sigmaMin` with the given spacing. */
export function respacedSigmas(spacing: SigmaSpacing, sigmaMin: number, sigmaMax: number, n: number): number[] {
  switch (spacing) {
    case "karras":
      return karrasSigmas(sigmaMin, sigmaMax, n);
    case "exponential":
      return exponentialSigmas(sigmaMin, sigmaMax, n);
    case "beta":
      return betaSigmas(sigmaMin, sigmaMax, n);
    default:
      return spacing satisfies never;
  }
}
