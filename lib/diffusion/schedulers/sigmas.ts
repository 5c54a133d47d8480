/** Karras-style σ schedules and the σ ↔ t mappings of the k-diffusion family. */
import { f32, interp, linspace } from "./numeric";

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
