/**
 * Draft and full-quality sampler presets per model. A model's `mirage.json`
 * manifest wins; otherwise defaults follow the model kind (LCM-distilled,
 * one-step Turbo, or a regular SD model).
 */
import { isSchedulerName, type SchedulerName } from "../schedulers";
import type { TManifestPreset } from "../../models/manifest";
import type { ModelLayout } from "../model/layout";
import type { SamplerSettings } from "./types";

export type Quality = "draft" | "full";

/** Short scheduler names manifests and UIs use, mapped to diffusers class names. */
const SCHEDULER_ALIASES: Record<string, { scheduler: SchedulerName; karras?: boolean }> = {
  ddim: { scheduler: "DDIMScheduler" },
  euler: { scheduler: "EulerDiscreteScheduler" },
  euler_a: { scheduler: "EulerAncestralDiscreteScheduler" },
  euler_ancestral: { scheduler: "EulerAncestralDiscreteScheduler" },
  dpmpp_2m: { scheduler: "DPMSolverMultistepScheduler" },
  dpmpp_2m_karras: { scheduler: "DPMSolverMultistepScheduler", karras: true },
  lcm: { scheduler: "LCMScheduler" },
  unipc: { scheduler: "UniPCMultistepScheduler" },
  heun: { scheduler: "HeunDiscreteScheduler" },
};

export function resolveSchedulerName(name: string): { scheduler: SchedulerName; karras?: boolean } {
  if (isSchedulerName(name)) return { scheduler: name };
  const alias = SCHEDULER_ALIASES[name.toLowerCase()];
  if (!alias) throw new RangeError(`unknown scheduler "${name}"`);
  return alias;
}

/** SD-Turbo / SDXL-Turbo: one Euler step from σ_max on a trailing grid, no guidance. */
export const TURBO_PRESET: SamplerSettings = {
  scheduler: "EulerDiscreteScheduler",
  steps: 1,
  guidance: 0,
  timestepSpacing: "trailing",
};

const DEFAULT_PRESETS: Record<"sd" | "lcm", Record<Quality, SamplerSettings>> = {
  sd: {
    full: { scheduler: "DPMSolverMultistepScheduler", karras: true, steps: 30, guidance: 7.5 },
    draft: { scheduler: "DPMSolverMultistepScheduler", karras: true, steps: 5, guidance: 7.5 },
  },
  lcm: {
    full: { scheduler: "LCMScheduler", steps: 8, guidance: 1.5 },
    draft: { scheduler: "LCMScheduler", steps: 4, guidance: 1.5 },
  },
};

export interface PresetContext {
  layout: ModelLayout;
  takesGuidanceEmbedding: boolean;
  /** The request has a negative prompt (its own or the manifest's). */
  hasNegativePrompt?: boolean;
}

export function presetFor(context: PresetContext, quality: Quality): SamplerSettings {
  const fromManifest = context.layout.manifest?.presets?.[quality];
  if (fromManifest) return fromManifestPreset(fromManifest, context);
  if (/turbo/i.test(context.layout.name)) return TURBO_PRESET;
  return DEFAULT_PRESETS[context.takesGuidanceEmbedding ? "lcm" : "sd"][quality];
}

function fromManifestPreset(preset: TManifestPreset, context: PresetContext): SamplerSettings {
  const configured = context.layout.schedulerConfig["_class_name"];
  const named = preset.scheduler
    ? resolveSchedulerName(preset.scheduler)
    : { scheduler: isSchedulerName(configured) ? configured : ("DDIMScheduler" as const) };
  const guidance = context.hasNegativePrompt && preset.guidance_with_negative !== undefined ? preset.guidance_with_negative : preset.guidance;
  return {
    ...named,
    steps: preset.steps,
    guidance: guidance ?? 7.5,
    ...(preset.timestep_spacing && { timestepSpacing: preset.timestep_spacing }),
  };
}
