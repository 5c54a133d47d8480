/**
 * What a job's event stream (`GET /api/v1/jobs/{id}/events`) carries besides
 * job snapshots: progress, live previews and the queue position
 * (docs/live-previews.md). Browser-safe: the job card parses these.
 */
import { z } from "zod";

/** A preview is a small WebP data URL; anything else from Redis is dropped. */
const PREVIEW_URL = /^data:image\/webp;base64,[A-Za-z0-9+/=]+$/;
/** A few KB each in practice; the cap keeps a bad publisher from flooding streams. */
const MAX_PREVIEW_URL_CHARS = 64_000;

export const ZJobProgressEvent = z.object({
  fraction: z.number().min(0).max(1),
  /** The engine's stage: encode-text, encode-image, denoise, decode, upscale (unknown ones are shown as work in progress). */
  stage: z.string().max(40),
});
export type TJobProgressEvent = z.infer<typeof ZJobProgressEvent>;

export const ZJobPreviewEvent = z.object({
  fraction: z.number().min(0).max(1),
  /** One per image of the job, in order: the x₀ estimate, blurry early and sharper later. */
  images: z.array(z.string().max(MAX_PREVIEW_URL_CHARS).regex(PREVIEW_URL)).min(1).max(8),
});
export type TJobPreviewEvent = z.infer<typeof ZJobPreviewEvent>;

export const ZJobQueueEvent = z.object({
  /** Jobs of the same model that will start before this one; null when the queue cannot tell (e.g. a retry waiting out its backoff). */
  ahead: z.number().int().min(0).nullable(),
});
export type TJobQueueEvent = z.infer<typeof ZJobQueueEvent>;
