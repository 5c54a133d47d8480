import type { Tensor } from "onnxruntime-node";

import type { TorchGenerator } from "../random";

export interface SchedulerStepOptions {
  /** Source of the noise that ancestral and LCM steps inject; required by those. */
  generator?: TorchGenerator;
  /** DDIM's η (0 = deterministic DDIM, 1 = DDPM-like). @defaultValue 0 */
  eta?: number;
}

export interface SchedulerStepOutput {
  prevSample: Tensor;
  /**
   * The model's estimate of the clean sample at this step. For LCM this is the
   * boundary-conditioned `denoised` value, which is what LCM pipelines decode.
   */
  predOriginalSample?: Tensor;
}

export interface SetTimestepsOptions {
  /**
   * img2img strength; only LCM uses it here, because its grid is cut from the
   * origin schedule before spacing (other schedulers are sliced by the caller).
   * @defaultValue 1
   */
  strength?: number;
}

/** What a pipeline needs from a scheduler; mirrors diffusers' scheduler API. */
export interface Scheduler {
  readonly name: SchedulerName;
  /** Timesteps of the current schedule, highest noise first. */
  readonly timesteps: number[];
  /** Standard deviation of the initial noise (multiply `randn` by it). */
  readonly initNoiseSigma: number;
  /**
   * diffusers' `order`: model evaluations per step. Heun's is 2 (its timesteps
   * list each inner t twice); img2img starts at index begin·order.
   */
  readonly order: number;
  /** True between the two evaluations of a two-evaluation step (Heun), so progress counts whole steps. */
  readonly isMidStep?: boolean;
  setTimesteps(numInferenceSteps: number, options?: SetTimestepsOptions): void;
  /** Start stepping at this index of `timesteps` (img2img), instead of looking the first timestep up. */
  setBeginIndex(index: number): void;
  scaleModelInput(sample: Tensor, timestep: number): Tensor;
  step(modelOutput: Tensor, timestep: number, sample: Tensor, options?: SchedulerStepOptions): SchedulerStepOutput;
  /** Forward-diffuse `original` to the given timesteps (one per batch item, or one for all). */
  addNoise(original: Tensor, noise: Tensor, timesteps: readonly number[]): Tensor;
}

export type SchedulerName =
  | "DDIMScheduler"
  | "EulerDiscreteScheduler"
  | "EulerAncestralDiscreteScheduler"
  | "DPMSolverMultistepScheduler"
  | "LCMScheduler"
  | "UniPCMultistepScheduler"
  | "HeunDiscreteScheduler";
