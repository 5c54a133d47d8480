/** Builds the scheduler a `SamplerSettings` asks for, on top of the model's own scheduler config. */
import { createScheduler, type Scheduler } from "../schedulers";
import type { SamplerSettings } from "./types";

export function createSamplerScheduler(modelSchedulerConfig: Record<string, unknown>, settings: SamplerSettings): Scheduler {
  const config: Record<string, unknown> = { ...modelSchedulerConfig, ...settings.schedulerOptions };
  if (settings.timestepSpacing) config["timestep_spacing"] = settings.timestepSpacing;
  if (settings.karras !== undefined) config["use_karras_sigmas"] = settings.karras;
  return createScheduler(config, settings.scheduler);
}

/** Classifier-free guidance runs only when it changes the result (g > 1) and the UNet is not LCM-distilled. */
export function usesClassifierFreeGuidance(settings: SamplerSettings, takesGuidanceEmbedding: boolean): boolean {
  return settings.guidance > 1 && !takesGuidanceEmbedding;
}
