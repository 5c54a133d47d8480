/** Messages between `DiffusionRunner` (the caller) and its inference process. */
import type { LoadOptions } from "../model-cache";
import type { GenerationResult } from "../pipelines/generate";
import type { TGenerationRequestInput } from "../pipelines/request";
import type { GenerationProgress, RgbImage } from "../pipelines/types";

/** Load options that can cross the process boundary (no callbacks). */
export type WorkerLoadOptions = Omit<LoadOptions, "onWarning"> & {
  /**
   * Fit each model's preview decoder when it loads, so jobs that ask for
   * previews do not pay for the fit (docs/live-previews.md). @defaultValue false
   */
  previews?: boolean;
};

/**
 * A live preview: each image's x₀ estimate after `completed` of `total`
 * progress units, one pixel per latent cell (tiny: the caller scales and encodes it).
 */
export interface LatentPreview {
  completed: number;
  total: number;
  images: RgbImage[];
}

export type ToWorker =
  | { type: "generate"; id: number; modelDir: string; request: TGenerationRequestInput; previews?: boolean }
  | { type: "preload"; id: number; modelDir: string }
  | { type: "cancel"; id: number; reason: string }
  | { type: "shutdown" };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface ModelInfo {
  name: string;
  provider: "cpu" | "cuda";
  hasUpscaler: boolean;
}

export type FromWorker =
  | { type: "progress"; id: number; progress: GenerationProgress }
  | { type: "preview"; id: number; preview: LatentPreview }
  | { type: "result"; id: number; result: GenerationResult }
  | { type: "loaded"; id: number; info: ModelInfo }
  | { type: "error"; id: number; error: SerializedError }
  | { type: "warning"; message: string }
  | { type: "closed" };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack && { stack: error.stack }) };
  return { name: "Error", message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  const out = new Error(error.message);
  out.name = error.name;
  if (error.stack) out.stack = error.stack;
  return out;
}
