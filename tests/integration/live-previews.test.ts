import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import type { TJobPreviewEvent } from "@/lib/schemas/job-stream";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { createJobEvents, type JobEvent } from "@/lib/server/jobs/job-events";
import { imagePath } from "@/lib/storage";
import { seedUser } from "../support/db";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * Live previews through a real worker and the bundled model
 * (docs/live-previews.md): the web side's job events receive previews before
 * `finished`, each a small WebP of every image forming, and a later preview
 * is closer to the finished image than the first. The queue position a
 * waiting job shows comes from the model's BullMQ queue.
 */
const MODELS_DIR = path.resolve(import.meta.dirname, "../../models");
const MODEL = "mirage-tiny";
const db = createDb(inject("databaseUrl"), { max: 4 });
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-previews`;
const context = createTestJobContext(db, redis, prefix, { modelsDir: MODELS_DIR, defaultModelId: MODEL });
// As the web process does: the events' connection waits for Redis rather than failing a read.
const eventsConnection = createRedis(inject("redisUrl"), "worker");
const events = createJobEvents(eventsConnection, prefix, createLogger("test", "silent"));

afterAll(async () => {
  await events.close();
  eventsConnection.disconnect();
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
});

/** Mean absolute difference (0–255) between a preview and the stored image, compared at the preview's size. */
async function distanceToFinal(preview: string, finalPng: string): Promise<number> {
  const previewPixels = await sharp(Buffer.from(preview.slice(preview.indexOf(",") + 1), "base64")).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = previewPixels.info;
  const final = await sharp(finalPng).resize(width, height, { fit: "fill" }).removeAlpha().raw().toBuffer();
  let total = 0;
  for (let i = 0; i < final.length; i++) total += Math.abs(final[i]! - previewPixels.data[i]!);
  return total / final.length;
}

describe("live previews", () => {
  it("a job's stream gets previews before it finishes, sharpening towards the final image; waiting jobs know how many are ahead", { timeout: 300_000 }, async () => {
    const storageDir = await mkdtemp(path.join(tmpdir(), "mirage-previews-"));
    const seeded = await seedUser(db);
    const principal = { userId: seeded.id, email: seeded.email, role: "user" as const, via: "token" as const };
    // Three jobs wait in the model's queue before any worker is up: the first has none ahead, the third two.
    const ids: string[] = [];
    for (const prompt of ["a large red circle on the left, sunset background --seed 5", "a blue fish --seed 6", "a green tree --seed 7"]) {
      ids.push((await createImagineJobs(context, principal, { prompt })).id);
    }
    expect(await Promise.all(ids.map((id) => events.queuePosition(id, MODEL)))).toEqual([0, 1, 2]);

    const received: JobEvent[] = [];
    const unsubscribe = events.subscribe(ids[0]!, MODEL, (event) => received.push(event));
    const worker = startWorker({ prefix, storageDir, workerId: "previews-it", env: { MODELS_DIR, WORKER_MODELS: MODEL } });
    try {
      await waitFor(async () => received.some((event) => event.type === "finished"), 240_000, "the first job to finish");
      // Once a worker holds it, the job is no longer waiting in line.
      expect(await events.queuePosition(ids[0]!, MODEL)).toBeNull();
    } finally {
      unsubscribe();
      await stopWorker(worker);
    }

    const finishedAt = received.findIndex((event) => event.type === "finished");
    const previews = received.slice(0, finishedAt).flatMap((event) => (event.type === "preview" ? [event.preview] : [] as TJobPreviewEvent[]));
    expect(previews.length, JSON.stringify(received.map((event) => event.type))).toBeGreaterThanOrEqual(2);
    for (const preview of previews) {
      expect(preview.images).toHaveLength(4);
      // Small enough to stream: a few KB of data URL per image.
      for (const url of preview.images) expect(url.length).toBeLessThan(8_000);
    }
    expect(previews.map((preview) => preview.fraction)).toEqual([...previews.map((preview) => preview.fraction)].sort((a, b) => a - b));

    const image = await db.image.findFirstOrThrow({ where: { jobId: ids[0]!, index: 0 }, select: { storageKey: true } });
    const finalPng = imagePath(storageDir, image.storageKey, "full");
    const first = await distanceToFinal(previews[0]!.images[0]!, finalPng);
    const last = await distanceToFinal(previews.at(-1)!.images[0]!, finalPng);
    expect(last, `first preview ${first.toFixed(1)}, last ${last.toFixed(1)} away from the final image`).toBeLessThan(first);
    await rm(storageDir, { recursive: true, force: true });
  });
});
