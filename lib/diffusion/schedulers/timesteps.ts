/** Inference timestep grids shared by the schedulers (diffusers `timestep_spacing`). */
import type { TTimestepSpacing } from "./config";
import { f32, linspace, roundHalfEven } from "./numeric";

/**
 * The discrete grid DDIM uses: integers, highest first.
 * `leading` t = i·⌊T/n⌋ + offset; `trailing` t = round(T − i·T/n) − 1; `linspace` rounds linspace(0, T−1, n).
 */
export function discreteTimesteps(spacing: TTimestepSpacing, trainSteps: number, n: number, stepsOffset: number): number[] {
  switch (spacing) {
    case "leading": {
      const ratio = Math.floor(trainSteps / n);
      return Array.from({ length: n }, (_, i) => (n - 1 - i) * ratio + stepsOffset);
    }
    case "trailing":
      return arangeDown(trainSteps, trainSteps / n).map((t) => roundHalfEven(t) - 1);
    case "linspace":
      return linspace(0, trainSteps - 1, n).map(roundHalfEven).reverse();
    default:
      return spacing satisfies never;
  }
}

/**
 * The grid the Euler schedulers use: `linspace` keeps fractional float32 times,
 * `leading` and `trailing` are integral as above (stored as float32).
 */
export function continuousTimesteps(spacing: TTimestepSpacing, trainSteps: number, n: number, stepsOffset: number): number[] {
  if (spacing === "linspace") return linspace(0, trainSteps - 1, n).map(f32).reverse();
  if (spacing === "leading") {
    const ratio = Math.floor(trainSteps / n);
    return Array.from({ length: n }, (_, i) => roundHalfEven((n - 1 - i) * ratio) + stepsOffset);
  }
  return discreteTimesteps(spacing, trainSteps, n, stepsOffset);
}

/** `np.arange(start, 0, -step)`. */
export function arangeDown(start: number, step: number): number[] {
  const count = Math.ceil(start / step);
  return Array.from({ length: count }, (_, i) => start - i * step);
}
