/**
 * When a job sends a live preview, and the per-model decoders it uses
 * (docs/live-previews.md §3). Lives in the inference process.
 */
import type { LoadedModel } from "../pipelines/generate";
import { fitLatentPreview, type LatentPreviewDecoder } from "./latent-preview";

/** About this many previews per job: enough to watch the image form, few enough to cost nothing. */
export const PREVIEWS_PER_JOB = 5;

/**
 * Every ⌈total / 5⌉ units, never on the last one (the finished images follow
 * at once): 25 steps → after 5, 10, 15, 20; 4 steps → after 1, 2, 3.
 */
export function isPreviewStep(completed: number, total: number): boolean {
  const every = Math.max(1, Math.ceil(total / PREVIEWS_PER_JOB));
  return completed > 0 && completed < total && completed % every === 0;
}

const decoders = new WeakMap<LoadedModel, Promise<LatentPreviewDecoder>>();

/** The model's preview decoder, fitted on first use and kept as long as the model is loaded. */
export function previewDecoderFor(model: LoadedModel): Promise<LatentPreviewDecoder> {
  let decoder = decoders.get(model);
  if (!decoder) {
    decoder = fitLatentPreview(model.diffusion);
    // A failed fit is retried by the next job rather than remembered.
    decoder.catch(() => decoders.delete(model));
    decoders.set(model, decoder);
  }
  return decoder;
}
