// Measuring an image's style on a model's axes (docs/references.md §2). The
// statistics are the evaluation's own (pure TypeScript, no inference), so what
// a reference is measured with is what the axis tests score outputs with.
import { STATISTICS, toFloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import type { RgbImage } from "@/lib/diffusion/pipelines/types";
import { styleVectorOf, type TMeasurableAxis } from "./style";

/** True when every measured axis names a statistic this build knows. */
export function hasKnownStatistics(axes: readonly TMeasurableAxis[]): boolean {
  return axes.every((axis) => !axis.range || (axis.statistic !== undefined && axis.statistic in STATISTICS));
}

/** The image's style vector s ∈ [−1, 1]^K, one value per axis in `axes` order (0 where an axis is not measured). */
export function measureStyle(image: RgbImage, axes: readonly TMeasurableAxis[]): number[] {
  const float = toFloatImage(image);
  return styleVectorOf(
    axes.map((axis) => {
      if (!axis.range || !axis.statistic) return null;
      const statistic = STATISTICS[axis.statistic];
      if (!statistic) throw new RangeError(`unknown pixel statistic "${axis.statistic}" on style axis ${axis.id}`);
      return statistic(float);
    }),
    axes,
  );
}
