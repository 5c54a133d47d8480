/**
 * Diffusion schedulers compatible with diffusers' `scheduler_config.json`.
 * `createScheduler` builds the class a config names (or the one asked for,
 * reusing the config's beta schedule, as diffusers' `from_config` does).
 */
import { DDIMScheduler } from "./ddim";
import { DPMSolverMultistepScheduler } from "./dpm-solver-multistep";
import { EulerAncestralDiscreteScheduler } from "./euler-ancestral-discrete";
import { EulerDiscreteScheduler } from "./euler-discrete";
import { HeunDiscreteScheduler } from "./heun-discrete";
import { LCMScheduler } from "./lcm";
import { UniPCMultistepScheduler } from "./unipc-multistep";
import type { Scheduler, SchedulerName } from "./types";

export { DDIMScheduler } from "./ddim";
export { DPMSolverMultistepScheduler } from "./dpm-solver-multistep";
export { EulerAncestralDiscreteScheduler } from "./euler-ancestral-discrete";
export { EulerDiscreteScheduler } from "./euler-discrete";
export { HeunDiscreteScheduler } from "./heun-discrete";
export { LCMScheduler } from "./lcm";
export { UniPCMultistepScheduler } from "./unipc-multistep";
export { ZSchedulerConfig, validateSchedulerConfig, type TSchedulerConfigInput } from "./config";
export type { Scheduler, SchedulerName, SchedulerStepOptions, SchedulerStepOutput, SetTimestepsOptions } from "./types";

export const SCHEDULER_NAMES = [
  "DDIMScheduler",
  "EulerDiscreteScheduler",
  "EulerAncestralDiscreteScheduler",
  "DPMSolverMultistepScheduler",
  "LCMScheduler",
  "UniPCMultistepScheduler",
  "HeunDiscreteScheduler",
] as const satisfies readonly SchedulerName[];

export function isSchedulerName(name: unknown): name is SchedulerName {
  return typeof name === "string" && (SCHEDULER_NAMES as readonly string[]).includes(name);
}

/**
 * @param config - a diffusers scheduler config object (snake_case keys)
 * @param name - scheduler class to build; defaults to the config's `_class_name`
 */
export function createScheduler(config: Record<string, unknown>, name?: SchedulerName): Scheduler {
  const className = name ?? config["_class_name"];
  if (!isSchedulerName(className)) {
    throw new RangeError(`unsupported scheduler ${String(className)}; pick one of ${SCHEDULER_NAMES.join(", ")}`);
  }
  // Like diffusers' from_config: every scheduler reads the keys it knows and ignores the rest.
  switch (className) {
    case "DDIMScheduler":
      return DDIMScheduler.fromConfig(config);
    case "EulerDiscreteScheduler":
      return EulerDiscreteScheduler.fromConfig(config);
    case "EulerAncestralDiscreteScheduler":
      return EulerAncestralDiscreteScheduler.fromConfig(config);
    case "DPMSolverMultistepScheduler":
      return DPMSolverMultistepScheduler.fromConfig(config);
    case "LCMScheduler":
      return LCMScheduler.fromConfig(config);
    case "UniPCMultistepScheduler":
      return UniPCMultistepScheduler.fromConfig(config);
    case "HeunDiscreteScheduler":
      return HeunDiscreteScheduler.fromConfig(config);
    default:
      return className satisfies never;
  }
}
