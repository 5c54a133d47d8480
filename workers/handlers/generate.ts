import { access } from "node:fs/promises";
import path from "node:path";
import { UnrecoverableError, type Job } from "bullmq";
import { ZodError } from "zod";
import type { TGenerationRequestInput } from "@/lib/diffusion";
import { imageCount, ZJobParams, type TJobParams } from "@/lib/jobs/params";
import type { TGpuJobData } from "@/lib/jobs/queue";
import { releaseJob, settleJob } from "@/lib/server/accounting/ledger";
import { imageStorageKey, removeJobFiles, type StorageTarget } from "@/lib/storage";
import type { GpuContext } from "../gpu-context";
import { readImagePixels, writeImageFiles } from "../image-files";

/** Progress reaches browsers through BullMQ events; 10 updates a second is plenty. */
const PROGRESS_INTERVAL_MS = 100;
/** Postgres gets the progress far less often: it is only what a reload shows. */
const DB_PROGRESS_INTERVAL_MS = 1_000;

/** The engine request a job's stored parameters map to (exported for tests that render in-process). */
export async function engineRequest(params: TJobParams, storage: StorageTarget): Promise<TGenerationRequestInput> {
  const common = {
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    seed: params.seed,
    quality: params.quality,
    // Personalization: the coefficients decided at acceptance steer the text conditioning.
    ...(params.personalize && { steering: params.personalize.axes.map(({ negative, positive, coefficient }) => ({ negative, positive, coefficient })) }),
  };
  switch (params.kind) {
    case "imagine": {
      const size = { width: params.width, height: params.height };
      const imagePrompt = params.imagePrompt && { image: await readSource(storage, params.imagePrompt.storageKey, size), weight: params.imagePrompt.weight };
      return { kind: "imagine", ...common, ...size, count: params.count, ...(imagePrompt && { imagePrompt }) };
    }
    case "vary":
      return { kind: "vary", ...common, strength: params.strength, image: await readSource(storage, params.source.storageKey), count: params.count };
    case "upscale":
      return { kind: "upscale", ...common, mode: params.mode, image: await readSource(storage, params.source.storageKey) };
    default:
      return params satisfies never;
  }
}

async function readSource(storage: StorageTarget, storageKey: string, cover?: { width: number; height: number }) {
  return readImagePixels(storage, storageKey, cover).catch(() => {
    throw new UnrecoverableError("The source image is gone (it may have been deleted); this job cannot run.");
  });
}

/** What the user reads when a job fails for good. */
function userMessage(error: unknown): string {
  if (error instanceof UnrecoverableError) return error.message;
  return "Generation failed on the GPU worker after several attempts. Try again; if it keeps failing, tell an admin.";
}

/**
 * Runs one generation job: re-reads the row, runs the pipeline off the event
 * loop, stores the images and completes the row. Safe to run twice (BullMQ
 * delivers at least once): image rows are unique per (job, slot) and the row
 * only completes from `running`.
 */
export async function handleGenerate(job: Job<TGpuJobData>, context: GpuContext): Promise<string> {
  const jobId = job.data.jobId;
  // Registered before anything else, so a cancel that arrives while the job
  // is starting is not lost.
  const controller = new AbortController();
  context.active.set(jobId, controller);
  try {
    return await runJob(job, context, controller);
  } finally {
    context.active.delete(jobId);
  }
}

async function runJob(job: Job<TGpuJobData>, context: GpuContext, controller: AbortController): Promise<string> {
  const { db, log } = context;
  const jobId = job.data.jobId;
  const row = await db.job.findUnique({ where: { id: jobId }, select: { id: true, userId: true, status: true, params: true, mode: true, attempts: true } });
  if (!row) return "skipped: the job no longer exists";
  if (row.status !== "queued" && row.status !== "running") return `skipped: the job is ${row.status}`;

  let params: TJobParams;
  try {
    params = ZJobParams.parse(row.params);
    await access(path.join(context.modelsDir, params.model, "model_index.json"));
  } catch (error) {
    const message = error instanceof ZodError ? "The job's parameters are invalid." : "This worker does not have the job's model installed.";
    await db.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({ where: { id: jobId, status: { in: ["queued", "running"] } }, data: { status: "failed", error: message, finishedAt: new Date() } });
      if (count === 1) await releaseJob(tx, { userId: row.userId, jobId, note: "failed: unrunnable" });
    });
    throw new UnrecoverableError(message);
  }

  // Only a job still waiting (or retrying) may start: a cancel may have won the race.
  const { count: started } = await db.job.updateMany({
    where: { id: jobId, status: { in: ["queued", "running"] } },
    data: { status: "running", attempts: { increment: 1 }, startedAt: new Date(), workerId: context.workerId, progress: 0, error: null },
  });
  if (started === 0) return "skipped: cancelled before it started";
  const attempt = row.attempts + 1;
  const attemptStarted = performance.now();
  const recordAttempt = (outcome: string, gpuMs: number | null) =>
    db.gpuUsage
      .createMany({
        data: [{ jobId, attempt, workerId: context.workerId, gpuMs, wallMs: Math.round(performance.now() - attemptStarted), outcome }],
        skipDuplicates: true,
      })
      .catch((error: unknown) => log.warn({ err: error, jobId }, "could not record GPU usage"));
  let lastEvent = 0;
  let lastDbWrite = Date.now();
  try {
    const request = await engineRequest(params, context.storage);
    const result = await context.runner.generate(path.join(context.modelsDir, params.model), request, {
      signal: controller.signal,
      onProgress: (progress) => {
        const now = Date.now();
        const fraction = progress.total > 0 ? progress.completed / progress.total : 0;
        if (now - lastEvent >= PROGRESS_INTERVAL_MS || progress.completed === progress.total) {
          lastEvent = now;
          void job.updateProgress({ fraction, stage: progress.stage }).catch(() => undefined);
        }
        if (now - lastDbWrite >= DB_PROGRESS_INTERVAL_MS) {
          lastDbWrite = now;
          void db.job.updateMany({ where: { id: jobId, status: "running" }, data: { progress: fraction } }).catch(() => undefined);
        }
      },
    });

    const expected = imageCount(params);
    if (result.images.length !== expected) throw new Error(`the pipeline returned ${result.images.length} images, expected ${expected}`);
    const images = result.images.map((generated, index) => ({
      jobId,
      userId: row.userId,
      index,
      seed: BigInt(generated.recipe.seed),
      width: generated.image.width,
      height: generated.image.height,
      isDraft: params.quality === "draft",
      storageKey: imageStorageKey(row.userId, jobId, index),
      recipe: { ...generated.recipe },
    }));
    await Promise.all(result.images.map((generated, index) => writeImageFiles(context.storage, images[index]!.storageKey, generated.image)));

    const gpuMs = Math.round(result.timings.inferenceMs);
    const completed = await db.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: { id: jobId, status: "running" },
        data: { status: "completed", progress: 1, finishedAt: new Date(), wallMs: Math.round(result.timings.wallMs), gpuMs: { increment: gpuMs } },
      });
      if (count !== 1) return false;
      await tx.image.createMany({ data: images, skipDuplicates: true });
      // Charged at the measured cost, once: the settle row is unique per job.
      const charged = await settleJob(tx, { userId: row.userId, jobId, gpuMs, mode: row.mode });
      if (charged !== null) await tx.job.update({ where: { id: jobId }, data: { chargedMs: charged } });
      return true;
    }, { timeout: 15_000 });
    if (!completed) {
      // Not running any more. Cancelled while the last step ran: keep nothing. But a
      // duplicate delivery (BullMQ is at-least-once) can find the job completed by the
      // other attempt, whose image rows point at these very files: leave them.
      const { status } = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
      await recordAttempt(status === "completed" ? "duplicate" : "cancelled", gpuMs);
      if (status === "completed") return "skipped: completed by another attempt";
      await removeJobFiles(context.storage, row.userId, jobId);
      return "cancelled";
    }
    await recordAttempt("completed", gpuMs);
    log.info({ jobId, images: images.length, gpuMs: Math.round(result.timings.inferenceMs), wallMs: Math.round(result.timings.wallMs) }, "job completed");
    return "completed";
  } catch (error) {
    if (controller.signal.aborted) {
      await recordAttempt("cancelled", null);
      await removeJobFiles(context.storage, row.userId, jobId);
      log.info({ jobId }, "job cancelled while running");
      return "cancelled";
    }
    const isFinal = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.warn({ jobId, err: error, attempt: job.attemptsMade + 1, isFinal }, "job attempt failed");
    await recordAttempt("failed", null);
    const failedForGood = await db.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: { id: jobId, status: "running" },
        data: isFinal
          ? { status: "failed", error: userMessage(error), finishedAt: new Date() }
          : { status: "queued", progress: 0, error: "The attempt failed; retrying shortly." },
      });
      // A job that failed for good is not charged: its reservation is returned.
      if (count === 1 && isFinal) await releaseJob(tx, { userId: row.userId, jobId, note: "failed" });
      return count === 1 && isFinal;
    });
    // Files the attempt wrote before failing (e.g. when storing the result did) have no
    // rows; a retry writes the same keys again, so only a final failure removes them.
    if (failedForGood) await removeJobFiles(context.storage, row.userId, jobId).catch((cleanup: unknown) => log.warn({ err: cleanup, jobId }, "could not remove the failed job's files"));
    throw error;
  }
}
