import type { SchedulerName } from "@/lib/diffusion/schedulers/types";
import { AppError } from "@/lib/errors";

/**
 * AUTOMATIC1111's sampler names mapped onto Mirage's schedulers
 * (lib/diffusion/schedulers). Only samplers Mirage really runs are listed; a
 * name that is not here is refused with the list, rather than silently run
 * with another sampler.
 */
export const A1111_SAMPLERS: ReadonlyArray<{ name: string; aliases: string[]; scheduler: SchedulerName; karras?: boolean }> = [
  { name: "DDIM", aliases: ["ddim"], scheduler: "DDIMScheduler" },
  { name: "Euler", aliases: ["k_euler", "euler"], scheduler: "EulerDiscreteScheduler" },
  { name: "Euler a", aliases: ["k_euler_a", "euler_ancestral"], scheduler: "EulerAncestralDiscreteScheduler" },
  { name: "DPM++ 2M", aliases: ["k_dpmpp_2m", "dpmpp_2m"], scheduler: "DPMSolverMultistepScheduler", karras: false },
  { name: "DPM++ 2M Karras", aliases: ["k_dpmpp_2m_ka", "dpmpp_2m_karras"], scheduler: "DPMSolverMultistepScheduler", karras: true },
  { name: "LCM", aliases: ["lcm"], scheduler: "LCMScheduler" },
];

/**
 * A1111 ≥ 1.9 sends the noise schedule separately (`scheduler`); Karras is
 * the one Mirage can apply, the others mean the sampler's own spacing.
 */
const SCHEDULE_TYPES: Record<string, boolean | undefined> = { automatic: undefined, uniform: false, normal: false, karras: true };

/** The sampler overrides for a request's sampler_name (or sampler_index) and scheduler; undefined when none is named. */
export function samplerFor(name: string | null | undefined, schedule: string | null | undefined): { scheduler?: SchedulerName; karras?: boolean } | undefined {
  const scheduleKey = schedule?.trim().toLowerCase();
  if (scheduleKey && !(scheduleKey in SCHEDULE_TYPES)) {
    throw new AppError("BAD_REQUEST", `Unknown scheduler "${schedule}". Known: Automatic, Uniform, Karras.`);
  }
  const scheduleKarras = scheduleKey ? SCHEDULE_TYPES[scheduleKey] : undefined;
  // A schedule without a sampler applies to the model's own sampler.
  if (!name) return scheduleKarras === undefined ? undefined : { karras: scheduleKarras };
  const wanted = name.trim().toLowerCase();
  const sampler = A1111_SAMPLERS.find((candidate) => candidate.name.toLowerCase() === wanted || candidate.aliases.includes(wanted));
  if (!sampler) throw new AppError("BAD_REQUEST", `Unknown sampler "${name}". Known: ${A1111_SAMPLERS.map((candidate) => candidate.name).join(", ")}.`);
  const karras = scheduleKarras ?? sampler.karras;
  return { scheduler: sampler.scheduler, ...(karras !== undefined && { karras }) };
}
