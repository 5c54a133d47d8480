/** Euler's method on the probability-flow ODE (Karras et al. 2022, Algorithm 2 without churn). */
import type { Tensor } from "onnxruntime-node";

import { floatTensor } from "../tensor";
import { resolveConfig } from "./config";
import { EULER_DEFAULTS, type EulerConfig, SigmaScheduler } from "./sigma-scheduler";
import type { Scheduler, SchedulerStepOutput } from "./types";

export class EulerDiscreteScheduler extends SigmaScheduler implements Scheduler {
  readonly name = "EulerDiscreteScheduler";

  constructor(config: EulerConfig) {
    super(config);
  }

  static fromConfig(raw: unknown): EulerDiscreteScheduler {
    return new EulerDiscreteScheduler(resolveConfig(raw, EULER_DEFAULTS));
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor): SchedulerStepOutput {
    const index = this.currentStepIndex(timestep);
    const sigma = this.sigmas[index]!;
    const sigmaNext = this.sigmas[index + 1]!;
    const x0 = this.predictX0(modelOutput, sample, sigma);
    const prevSample = SigmaScheduler.eulerUpdate(sample, x0, sigma, sigmaNext);
    this.stepIndex = index + 1;
    return { prevSample, predOriginalSample: floatTensor(x0, sample.dims) };
  }
}
