import type { Tensor } from "onnxruntime-node";

import type { SchedulerName } from "../schedulers";
import type { TSchedulerOptions } from "../schedulers/config";

/** 8-bit RGB, row-major, 3 bytes per pixel, no padding. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type TimestepSpacing = "leading" | "trailing" | "linspace";

/** How a denoising run samples; everything needed to reproduce it. */
export interface SamplerSettings {
  scheduler: SchedulerName;
  steps: number;
  /** Classifier-free guidance scale; ≤ 1 runs the conditional pass only. */
  guidance: number;
  /** Overrides the model's scheduler config when set. */
  timestepSpacing?: TimestepSpacing;
  /** DPM-Solver++ / Euler with Karras σs ("DPM++ 2M Karras"). */
  karras?: boolean;
  /** Further scheduler_config keys a sampler choice sets ("DPM++ 2M SDE": algorithm_type sde-dpmsolver++). */
  schedulerOptions?: TSchedulerOptions;
}

export type GenerationMode = "txt2img" | "img2img" | "image-prompt" | "upscale-subtle" | "upscale-creative" | "inpaint" | "outpaint";

/** The exact recipe of one output image: rerunning it reproduces the pixels. */
export interface GenerationRecipe extends SamplerSettings {
  model: string;
  mode: GenerationMode;
  prompt: string;
  negativePrompt: string;
  seed: number;
  width: number;
  height: number;
  /** img2img strength (fraction of the schedule re-run); absent for txt2img and plain upscales. */
  strength?: number;
  /** Super-resolution factor applied before any diffusion. */
  upscaleFactor?: number;
  /** Personalization steering of the text conditioning (only when it changed anything). */
  steering?: { negative: string; positive: string; coefficient: number }[];
  /** Multi-prompt parts and weights the conditioning was mixed from. */
  promptParts?: { text: string; weight: number }[];
  /** `--stop` percentage, when the result is a partial one. */
  stop?: number;
  /** `--tile`: made as a seamless tile. */
  tile?: boolean;
}

export interface GeneratedImage {
  image: RgbImage;
  recipe: GenerationRecipe;
}

export type GenerationStage = "encode-text" | "encode-image" | "denoise" | "decode" | "upscale";

export interface GenerationProgress {
  stage: GenerationStage;
  /** Units done and total for the whole job (denoising steps plus upscale tiles). */
  completed: number;
  total: number;
}

export interface RunHooks {
  onProgress?: (progress: GenerationProgress) => void;
  /** After each denoising step: each image's x₀ estimate (live previews, docs/live-previews.md). */
  onDenoised?: (denoised: readonly Tensor[], progress: GenerationProgress) => void;
  /** Checked between steps and tiles; aborting rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Milliseconds spent inside onnxruntime `run`, per component, for one job. */
export interface StageTimings {
  textEncoderMs: number;
  unetMs: number;
  unetCalls: number;
  vaeDecoderMs: number;
  vaeEncoderMs: number;
  upscalerMs: number;
  /** Σ of the above: pure inference time. */
  inferenceMs: number;
  /** Wall-clock time of the whole job. */
  wallMs: number;
}
