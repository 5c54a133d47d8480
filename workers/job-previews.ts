/**
 * Live previews, worker side (docs/live-previews.md §4): the inference
 * process sends each image's x₀ estimate at one pixel per latent cell; here
 * they are encoded as tiny WebP data URLs and published
 * on the job's Redis channel for whichever web process streams the job.
 * Nothing is stored. Runs on this process's event loop and sharp's threads,
 * never the inference process.
 */
import sharp from "sharp";
import type { Redis } from "ioredis";
import type { LatentPreview, RgbImage } from "@/lib/diffusion";
import { jobChannel } from "@/lib/jobs/job-channel";
import type { Logger } from "@/lib/log";
import type { TJobPreviewEvent } from "@/lib/schemas/job-stream";

/**
 * One preview image → a WebP data URL of a few hundred bytes, at the latent's
 * own resolution (one pixel per latent cell). The browser enlarges it to the
 * tile with smooth scaling, which gives the soft look a preview should have.
 * It used to be enlarged 4× here first; on a 2-core machine that work, on
 * sharp's threads beside inference, took about 7 % off the job's inference
 * speed (docs/live-previews.md §6).
 */
export async function encodePreviewImage(image: RgbImage): Promise<string> {
  const webp = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .webp({ quality: 70, effort: 0 })
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
      .then((event) => connection.publish(jobChannel(prefix, jobId), JSON.stringify(event)))
      .catch((error: unknown) => log.debug({ err: error, jobId }, "could not publish a live preview"))
      .finally(() => encoding.delete(jobId));
  };
}
