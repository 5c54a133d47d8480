/** Converting a UNet output (ε, v or x₀) into the quantities the update rules need. */
import type { Tensor } from "onnxruntime-node";

import { linearCombination } from "../tensor";
import type { TPredictionType } from "./config";

/**
 * x₀ and ε from a model output at a timestep with cumulative alpha `a`
 * (variance-preserving parameterisation, x = √a·x₀ + √(1−a)·ε).
 */
export function predictionToX0AndEpsilon(
  type: TPredictionType,
  modelOutput: Tensor,
  sample: Tensor,
  a: number,
): { x0: Tensor; epsilon: Tensor } {
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(1 - a);
  switch (type) {
    case "epsilon":
      return { x0: linearCombination([[1 / sa, sample], [-sb / sa, modelOutput]]), epsilon: modelOutput };
    case "sample":
      return { x0: modelOutput, epsilon: linearCombination([[1 / sb, sample], [-sa / sb, modelOutput]]) };
    case "v_prediction":
      return {
        x0: linearCombination([[sa, sample], [-sb, modelOutput]]),
        epsilon: linearCombination([[sa, modelOutput], [sb, sample]]),
      };
    default:
      return type satisfies never;
  }
}
