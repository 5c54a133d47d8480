/**
 * Noise schedules. Torch stores them as float32 (its CPU cumprod accumulates in
 * double and rounds each stored value), so every value is rounded through
 * `Math.fround` exactly where torch stores a float32.
 */
import type { BaseSchedulerConfig } from "./config";
import { f32, linspaceFloat32 } from "./numeric";

export function makeBetas(config: BaseSchedulerConfig): number[] {
  const { num_train_timesteps: n, beta_start: start, beta_end: end } = config;
  let betas: number[];
  if (config.trained_betas) betas = config.trained_betas.map(f32);
  else if (config.beta_schedule === "linear") betas = linspaceFloat32(start, end, n);
  else if (config.beta_schedule === "scaled_linear") {
    betas = linspaceFloat32(Math.sqrt(start), Math.sqrt(end), n).map((b) => f32(b * b));
  } else betas = cosineBetas(n);
  return config.rescale_betas_zero_snr ? rescaleZeroTerminalSnr(betas) : betas;
}

export function cumulativeAlphas(betas: readonly number[]): number[] {
  let product = 1;
  return betas.map((beta) => f32((product *= f32(1 - beta))));
}

/** Glide's squaredcos_cap_v2 schedule (computed in float64, stored float32). */
function cosineBetas(n: number, maxBeta = 0.999): number[] {
  const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  return Array.from({ length: n }, (_, i) => f32(Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), maxBeta)));
}

/** "Common Diffusion Noise Schedules and Sample Steps are Flawed" (arXiv 2305.08891), Algorithm 1. */
function rescaleZeroTerminalSnr(betas: readonly number[]): number[] {
  const sqrtBar = cumulativeAlphas(betas).map((a) => Math.sqrt(a));
  const first = sqrtBar[0]!;
  const last = sqrtBar[sqrtBar.length - 1]!;
  const bar = sqrtBar.map((s) => ((s - last) * first) / (first - last)).map((s) => s * s);
  return bar.map((b, i) => f32(1 - (i === 0 ? b : b / bar[i - 1]!)));
}
