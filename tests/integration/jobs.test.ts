import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import type { TJobView } from "@/lib/schemas/jobs";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { createEnhanceJob, createRerunJob, createUpscaleJob, createVaryJob } from "@/lib/server/jobs/derive-jobs";
import { getJobForUser, listJobsForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { imagePath } from "@/lib/storage";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext, startWorker, stopWorker } from "../support/worker-process";

/**
 * Every job type through the real path: API-level use cases → Postgres →
 * BullMQ on Redis → a real worker process → onnxruntime on a tiny
 * random-weight SD export → files on disk.
 */

const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-jobs`;
const context = createTestJobContext(db, redis, prefix);
let storageDir = "";
let worker: ChildProcess;
let principal: Principal;

async function waitForJob(userId: string, jobId: string, timeoutMs = 60_000): Promise<TJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJobForUser(db, userId, jobId);
    if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-images-"));
  const user = await seedUser(db);
  principal = { userId: user.id, email: user.email, role: "user", via: "token" };
  worker = startWorker({ prefix, storageDir, workerId: "jobs-test-worker" });
});

afterAll(async () => {
  await stopWorker(worker);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("generation jobs end to end", () => {
  let grid: TJobView;

  it("imagine: a prompt with --ar 16:9 gives four 16:9 images with consecutive seeds, stored as PNG + WebP", async () => {
    const created = await createImagineJobs(context, principal, { prompt: "a large red house on the left under a sunset sky --ar 16:9 --seed 42" });
    expect(created).toMatchObject({ status: "queued", type: "imagine", size: { width: 80, height: 48 } });
    expect(created.recipe).toMatchObject({ prompt: "a large red house on the left under a sunset sky", seed: 42, aspectRatio: { width: 16, height: 9 } });
    grid = await waitForJob(principal.userId, created.id);
    expect(grid.status, grid.error ?? "").toBe("completed");
    expect(grid.images.map((image) => [image.index, image.seed, image.width, image.height])).toEqual([
      [0, 42, 80, 48],
      [1, 43, 80, 48],
      [2, 44, 80, 48],
      [3, 45, 80, 48],
    ]);
    expect(grid.gpuMs).toBeGreaterThan(0);
    const row = await db.image.findUniqueOrThrow({ where: { id: grid.images[0]!.id } });
    expect(existsSync(imagePath(storageDir, row.storageKey, "full"))).toBe(true);
    expect(existsSync(imagePath(storageDir, row.storageKey, "thumb"))).toBe(true);
    expect(row.recipe).toMatchObject({ model: "tiny-sd", seed: 42, width: 80, height: 48, mode: "txt2img" });
  });

  it("vary subtle and strong give four images the size of their parent", async () => {
    for (const strength of ["subtle", "strong"] as const) {
      const job = await waitForJob(principal.userId, (await createVaryJob(context, principal, grid.images[1]!.id, strength)).id);
      expect(job.status, job.error ?? "").toBe("completed");
      expect(job.type).toBe(`vary-${strength}`);
      expect(job.parentImageId).toBe(grid.images[1]!.id);
      expect(job.images).toHaveLength(4);
      expect(job.images.every((image) => image.width === 80 && image.height === 48)).toBe(true);
    }
  });

  it("upscale subtle and creative double width and height", async () => {
    for (const kind of ["subtle", "creative"] as const) {
      const job = await waitForJob(principal.userId, (await createUpscaleJob(context, principal, grid.images[0]!.id, kind)).id);
      expect(job.status, job.error ?? "").toBe("completed");
      expect(job.images.map((image) => [image.width, image.height])).toEqual([[160, 96]]);
    }
  });

  it("a --draft grid is marked draft, and Enhance re-renders one image at full quality with its seed", async () => {
    const draft = await waitForJob(principal.userId, (await createImagineJobs(context, principal, { prompt: "a blue boat on the sea --draft --seed 7" })).id);
    expect(draft.status, draft.error ?? "").toBe("completed");
    expect(draft.isDraft).toBe(true);
    expect(draft.images.every((image) => image.isDraft)).toBe(true);
    const enhanced = await waitForJob(principal.userId, (await createEnhanceJob(context, principal, draft.images[2]!.id)).id);
    expect(enhanced.status, enhanced.error ?? "").toBe("completed");
    expect(enhanced).toMatchObject({ type: "enhance", isDraft: false });
    expect(enhanced.images.map((image) => [image.seed, image.isDraft])).toEqual([[9, false]]);
    await expect(createEnhanceJob(context, principal, enhanced.images[0]!.id)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("rerun keeps the recipe and changes the seeds", async () => {
    const rerun = await waitForJob(principal.userId, (await createRerunJob(context, principal, grid.id)).id);
    expect(rerun.status, rerun.error ?? "").toBe("completed");
    expect(rerun.type).toBe("rerun");
    expect(rerun.prompt).toBe(grid.prompt);
    expect(rerun.size).toEqual(grid.size);
    expect(rerun.images[0]!.seed).not.toBe(grid.images[0]!.seed);
  });

  it("rerun exactly reproduces the same pixels", async () => {
    const exact = await waitForJob(principal.userId, (await createRerunJob(context, principal, grid.id, { exact: true })).id);
    expect(exact.status, exact.error ?? "").toBe("completed");
    expect(exact.images.map((image) => image.seed)).toEqual(grid.images.map((image) => image.seed));
    for (const index of [0, 3]) {
      const [original, again] = await Promise.all(
        [grid, exact].map(async (job) => {
          const row = await db.image.findUniqueOrThrow({ where: { id: job.images[index]!.id }, select: { storageKey: true } });
          return sharp(imagePath(storageDir, row.storageKey, "full")).raw().toBuffer();
        }),
      );
      expect(Buffer.compare(original!, again!)).toBe(0);
    }
  });

  it("--r 2 makes two jobs with different seeds", async () => {
    const created = await createImagineJobs(context, principal, { prompt: "a green tree --r 2" });
    expect(created.jobIds).toHaveLength(2);
    const jobs = await Promise.all(created.jobIds.map((id) => waitForJob(principal.userId, id)));
    expect(jobs.every((job) => job.status === "completed")).toBe(true);
    expect(jobs[0]!.images[0]!.seed).not.toBe(jobs[1]!.images[0]!.seed);
  });

  it("cancel stops a job before it finishes and keeps no images", async () => {
    const created = await createImagineJobs(context, principal, { prompt: "a yellow star --seed 5" });
    const cancelled = await cancelJob(context, principal.userId, created.id);
    expect(cancelled.status).toBe("cancelled");
    const final = await waitForJob(principal.userId, created.id);
    expect(final.status).toBe("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await db.image.count({ where: { jobId: created.id } })).toBe(0);
    await expect(cancelJob(context, principal.userId, created.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("runs a chosen model, and refuses an unknown one", async () => {
    const legacy = await waitForJob(principal.userId, (await createImagineJobs(context, principal, { prompt: "a grey cloud", model: "tiny-sd-legacy" })).id);
    expect(legacy.status, legacy.error ?? "").toBe("completed");
    expect(legacy.images[0]!.recipe).toMatchObject({ model: expect.any(String) });
    await expect(createImagineJobs(context, principal, { prompt: "a grey cloud", model: "no-such-model" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Unknown model "no-such-model"/) });
  });

  it("rejects a bad prompt before writing anything, naming the parameter", async () => {
    const before = await db.job.count();
    await expect(createImagineJobs(context, principal, { prompt: "a cat --chaos 250" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/--chaos.*0.*100/) });
    expect(await db.job.count()).toBe(before);
  });

  it("never shows one user's jobs or images to another", async () => {
    const other = await seedUser(db);
    const stranger: Principal = { userId: other.id, email: other.email, role: "user", via: "token" };
    await expect(getJobForUser(db, stranger.userId, grid.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createVaryJob(context, stranger, grid.images[0]!.id, "subtle")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createRerunJob(context, stranger, grid.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelJob(context, stranger.userId, grid.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listJobsForUser(db, stranger.userId, { limit: 20 })).jobs).toEqual([]);
    const mine = await listJobsForUser(db, principal.userId, { limit: 3 });
    expect(mine.jobs).toHaveLength(3);
    expect(mine.nextCursor).not.toBeNull();
  });

  it("hides an image deleted (undo window open) from its job and refuses to vary it", async () => {
    const victim = grid.images[3]!.id;
    await db.image.update({ where: { id: victim }, data: { deletedAt: new Date() } });
    try {
      expect((await getJobForUser(db, principal.userId, grid.id)).images.map((image) => image.id)).not.toContain(victim);
      await expect(createVaryJob(context, principal, victim, "subtle")).rejects.toMatchObject({ code: "NOT_FOUND" });
    } finally {
      await db.image.update({ where: { id: victim }, data: { deletedAt: null } });
    }
    expect((await getJobForUser(db, principal.userId, grid.id)).images.map((image) => image.id)).toContain(victim);
  });
});
