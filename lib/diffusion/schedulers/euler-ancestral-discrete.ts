/** Ancestral Euler sampling: a deterministic step to σ_down, then fresh noise of size σ_up. */
import type { Tensor } from "onnxruntime-node";

import { floatTensor, linearCombination } from "../tensor";
import { BaseScheduler } from "./base";
import { resolveConfig } from "./config";
import { EULER_DEFAULTS, type EulerConfig, SigmaScheduler } from "./sigma-scheduler";
import type { Scheduler, SchedulerStepOptions, SchedulerStepOutput } from "./types";

export class EulerAncestralDiscreteScheduler extends SigmaScheduler implements Scheduler {
  readonly name = "EulerAncestralDiscreteScheduler";

  constructor(config: EulerConfig) {
    super(config);
  }

  static fromConfig(raw: unknown): EulerAncestralDiscreteScheduler {
    return new EulerAncestralDiscreteScheduler(resolveConfig(raw, EULER_DEFAULTS));
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput {
    const generator = BaseScheduler.requireGenerator(options, this.name);
    const index = this.currentStepIndex(timestep);
    const sigma = this.sigmas[index]!;
    const sigmaNext = this.sigmas[index + 1]!;
    const x0 = this.predictX0(modelOutput, sample, sigma);
    // Split σ_next² into a deterministic part σ_down² and injected noise σ_up².
    const sigmaUp = Math.sqrt((sigmaNext ** 2 * (sigma ** 2 - sigmaNext ** 2)) / sigma ** 2);
    const sigmaDown = Math.sqrt(sigmaNext ** 2 - sigmaUp ** 2);
    const ratio = (sigmaDown - sigma) / sigma;
    const noise = floatTensor(generator.randn(modelOutput.dims), modelOutput.dims);
    const prevSample = linearCombination([[1 + ratio, sample], [-ratio, x0], [sigmaUp, noise]]);
    this.stepIndex = index + 1;
    return { prevSample, predOriginalSample: x0 };
  }
}
