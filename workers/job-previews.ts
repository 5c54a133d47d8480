/**
 * Live previews, worker side (docs/live-previews.md §4): the inference
 * process sends each image's x₀ estimate at one pixel per latent cell; here
 * they are enlarged smoothly, encoded as small WebP data URLs and published
 * on the job's Redis channel for whichever web process streams the job.
 * Nothing is stored. Runs on this process's event loop and sharp's threads,
 * never the inference process.
 */
import sharp from "sharp";
import type { Redis } from "ioredis";
import type { LatentPreview, RgbImage } from "@/lib/diffusion";
import { previewChannel } from "@/lib/jobs/preview-channel";
import type { Logger } from "@/lib/log";
import type { TJobPreviewEvent } from "@/lib/schemas/job-stream";

/** Enlargement of the latent-resolution preview, capped so a big model's preview stays a thumbnail. */
const PREVIEW_SCALE = 4;
const PREVIEW_MAX_SIDE = 128;

/** One preview image → a WebP data URL of a few hundred bytes to a few KB. */
export async function encodePreviewImage(image: RgbImage): Promise<string> {
  const scale = Math.max(1, Math.min(PREVIEW_SCALE, PREVIEW_MAX_SIDE / Math.max(image.width, image.height)));
  const webp = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    // Smooth enlargement: a preview should look soft, not like a mosaic of latent cells.
    .resize({ width: Math.round(image.width * scale), height: Math.round(image.height * scale), kernel: "cubic" })
    .webp({ quality: 70, effort: 1 })
    .toBuffer();
  return `data:image/webp;base64,${webp.toString("base64")}`;
}

export async function encodePreview(preview: LatentPreview): Promise<TJobPreviewEvent> {
  return {
    fraction: preview.total > 0 ? preview.completed / preview.total : 0,
    images: await Promise.all(preview.images.map(encodePreviewImage)),
  };
}

export type PublishPreview = (jobId: string, preview: LatentPreview) => void;

/**
 * Returns the publisher a job handler calls from its runner hook. A preview
 * that arrives while the job's previous one is still encoding is dropped:
 * the next is only a few steps away, and a backlog would show stale images.
 */
export function createPreviewPublisher(connection: Redis, prefix: string, log: Logger): PublishPreview {
  const encoding = new Set<string>();
  return (jobId, preview) => {
    if (encoding.has(jobId)) return;
    encoding.add(jobId);
    void encodePreview(preview)
      .then((event) => connection.publish(previewChannel(prefix, jobId), JSON.stringify(event)))
      .catch((error: unknown) => log.debug({ err: error, jobId }, "could not publish a live preview"))
      .finally(() => encoding.delete(jobId));
  };
}
