import type { TSchedulerOptions } from "@/lib/diffusion/schedulers/config";
import type { SchedulerName } from "@/lib/diffusion/schedulers/types";
import { AppError } from "@/lib/errors";

export interface A1111Sampler {
  name: string;
  aliases: string[];
  scheduler: SchedulerName;
  karras?: boolean;
  /** scheduler_config keys the sampler implies (docs/onnx-pipeline.md §6 lists each mapping). */
  options?: TSchedulerOptions;
}

const SDE = { algorithm_type: "sde-dpmsolver++" } as const satisfies TSchedulerOptions;

/**
 * AUTOMATIC1111's sampler names mapped onto Mirage's schedulers
 * (lib/diffusion/schedulers), following diffusers' published equivalences.
 * Only samplers Mirage really runs are listed; a name that is not here is
 * refused with the list, rather than silently run with another sampler.
 * "DPM++ SDE" is the one approximation: A1111's is a singlestep second-order
 * method with Brownian-tree noise; Mirage runs the first-order stochastic
 * DPM-Solver++ of the same family.
 */
export const A1111_SAMPLERS: ReadonlyArray<A1111Sampler> = [
  { name: "DDIM", aliases: ["ddim"], scheduler: "DDIMScheduler" },
  { name: "Euler", aliases: ["k_euler", "euler"], scheduler: "EulerDiscreteScheduler" },
  { name: "Euler a", aliases: ["k_euler_a", "euler_ancestral"], scheduler: "EulerAncestralDiscreteScheduler" },
  { name: "Heun", aliases: ["k_heun", "heun"], scheduler: "HeunDiscreteScheduler" },
  { name: "DPM++ 2M", aliases: ["k_dpmpp_2m", "dpmpp_2m"], scheduler: "DPMSolverMultistepScheduler", karras: false },
  { name: "DPM++ 2M Karras", aliases: ["k_dpmpp_2m_ka", "dpmpp_2m_karras"], scheduler: "DPMSolverMultistepScheduler", karras: true },
  { name: "DPM++ SDE", aliases: ["k_dpmpp_sde", "dpmpp_sde"], scheduler: "DPMSolverMultistepScheduler", karras: false, options: { ...SDE, solver_order: 1 } },
  { name: "DPM++ SDE Karras", aliases: ["k_dpmpp_sde_ka", "dpmpp_sde_karras"], scheduler: "DPMSolverMultistepScheduler", karras: true, options: { ...SDE, solver_order: 1 } },
  { name: "DPM++ 2M SDE", aliases: ["k_dpmpp_2m_sde", "dpmpp_2m_sde"], scheduler: "DPMSolverMultistepScheduler", karras: false, options: { ...SDE, solver_order: 2 } },
  { name: "DPM++ 2M SDE Karras", aliases: ["k_dpmpp_2m_sde_ka", "dpmpp_2m_sde_karras"], scheduler: "DPMSolverMultistepScheduler", karras: true, options: { ...SDE, solver_order: 2 } },
  { name: "DPM++ 2M SDE Heun", aliases: ["k_dpmpp_2m_sde_heun", "dpmpp_2m_sde_heun"], scheduler: "DPMSolverMultistepScheduler", karras: false, options: { ...SDE, solver_order: 2, solver_type: "heun" } },
  { name: "DPM++ 3M SDE", aliases: ["k_dpmpp_3m_sde", "dpmpp_3m_sde"], scheduler: "DPMSolverMultistepScheduler", karras: false, options: { ...SDE, solver_order: 3 } },
  { name: "UniPC", aliases: ["unipc"], scheduler: "UniPCMultistepScheduler" },
  { name: "LCM", aliases: ["lcm"], scheduler: "LCMScheduler" },
];

type Schedule = { karras?: boolean; options?: TSchedulerOptions };

/**
 * A1111 ≥ 1.9 sends the noise schedule separately (`scheduler`). Karras,
 * Exponential and Beta are σ respacings Mirage applies; Uniform and Normal
 * mean the sampler's own spacing; Automatic leaves the sampler's choice.
 */
const SCHEDULE_TYPES: Record<string, Schedule> = {
  automatic: {},
  uniform: { karras: false },
  normal: { karras: false },
  karras: { karras: true },
  exponential: { karras: false, options: { use_exponential_sigmas: true } },
  beta: { karras: false, options: { use_beta_sigmas: true } },
};

export interface SamplerChoice {
  scheduler?: SchedulerName;
  karras?: boolean;
  schedulerOptions?: TSchedulerOptions;
}

/** The sampler overrides for a request's sampler_name (or sampler_index) and scheduler; undefined when none is named. */
export function samplerFor(name: string | null | undefined, schedule: string | null | undefined): SamplerChoice | undefined {
  const scheduleKey = schedule?.trim().toLowerCase();
  const scheduleType = scheduleKey ? SCHEDULE_TYPES[scheduleKey] : undefined;
  if (scheduleKey && !scheduleType) {
    throw new AppError("BAD_REQUEST", `Unknown scheduler "${schedule}". Known: Automatic, Uniform, Normal, Karras, Exponential, Beta.`);
  }
  const fromSchedule = withOptions({ ...(scheduleType?.karras !== undefined && { karras: scheduleType.karras }) }, scheduleType?.options);
  // A schedule without a sampler applies to the model's own sampler.
  if (!name) return Object.keys(fromSchedule).length === 0 ? undefined : fromSchedule;
  const wanted = name.trim().toLowerCase();
  const sampler = A1111_SAMPLERS.find((candidate) => candidate.name.toLowerCase() === wanted || candidate.aliases.includes(wanted));
  if (!sampler) throw new AppError("BAD_REQUEST", `Unknown sampler "${name}". Known: ${A1111_SAMPLERS.map((candidate) => candidate.name).join(", ")}.`);
  const karras = scheduleType?.karras ?? sampler.karras;
  const options = sampler.options || scheduleType?.options ? { ...sampler.options, ...scheduleType?.options } : undefined;
  return withOptions({ scheduler: sampler.scheduler, ...(karras !== undefined && { karras }) }, options);
}

function withOptions(choice: SamplerChoice, options: TSchedulerOptions | undefined): SamplerChoice {
  return options ? { ...choice, schedulerOptions: options } : choice;
}
