/** Ancestral Euler sampling: a deterministic step to σ_down, then fresh noise of size σ_up. */
import type { Tensor } from "onnxruntime-node";

import { floatTensor } from "../tensor";
import { f32 } from "./numeric";
import { BaseScheduler } from "./base";
import { BASE_DEFAULTS, resolveConfig } from "./config";
import { EULER_DEFAULTS, type EulerConfig, SigmaScheduler } from "./sigma-scheduler";
import type { Scheduler, SchedulerStepOptions, SchedulerStepOutput } from "./types";

export class EulerAncestralDiscreteScheduler extends SigmaScheduler implements Scheduler {
  readonly name = "EulerAncestralDiscreteScheduler";

  constructor(config: EulerConfig) {
    super(config);
  }

  /**
   * diffusers' ancestral Euler reads only the beta and spacing keys: it always
   * interpolates σ linearly and ends at 0, whatever the model's config says for
   * Euler. The σ respacings are Mirage's addition ("Euler a" with A1111's Karras schedule).
   */
  static fromConfig(raw: unknown): EulerAncestralDiscreteScheduler {
    const reads = {
      ...BASE_DEFAULTS,
      timestep_spacing: EULER_DEFAULTS.timestep_spacing,
      use_karras_sigmas: false,
      use_exponential_sigmas: false,
      use_beta_sigmas: false,
    };
    return new EulerAncestralDiscreteScheduler({ ...EULER_DEFAULTS, ...resolveConfig(raw, reads) });
  }

  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput {
    const generator = BaseScheduler.requireGenerator(options, this.name);
    const index = this.currentStepIndex(timestep);
    const sigma = this.sigmas[index]!;
    const sigmaNext = this.sigmas[index + 1]!;
    const x0 = this.predictX0(modelOutput, sample, sigma);
    // Split σ_next² into a deterministic part σ_down² and injected noise σ_up² (float32, as torch).
    const from2 = f32(sigma * sigma);
    const to2 = f32(sigmaNext * sigmaNext);
    const sigmaUp = f32(Math.sqrt(f32(f32(to2 * f32(from2 - to2)) / from2)));
    const sigmaDown = f32(Math.sqrt(f32(to2 - f32(sigmaUp * sigmaUp))));
    const noise = { values: generator.randn(modelOutput.dims), scale: sigmaUp };
    const prevSample = SigmaScheduler.eulerUpdate(sample, x0, sigma, sigmaDown, noise);
    this.stepIndex = index + 1;
    return { prevSample, predOriginalSample: floatTensor(x0, sample.dims) };
  }
}
