import { access } from "node:fs/promises";
import path from "node:path";
import { UnrecoverableError, type Job } from "bullmq";
import { ZodError } from "zod";
import type { LatentPreview, TGenerationRequestInput } from "@/lib/diffusion";
import { engineRequest as registryEngineRequest, imageCount, ZJobParams, type TJobParams } from "@/lib/jobs/registry";
import type { TGpuJobData } from "@/lib/jobs/queue";
import { completeJob, failJob, recordJobProgress, retryJobLater, settleCancelledJob, settleLostAttempt, startJob } from "@/lib/server/jobs/lifecycle";
import { imageStorageKey, removeJobFiles, type StorageTarget } from "@/lib/storage";
import type { GpuContext } from "../gpu-context";
import { encodeImageFiles, readImagePixels, storeImageFiles } from "../image-files";
import { StageClock } from "../stage-timings";

/** Progress reaches browsers through BullMQ events; 10 updates a second is plenty. */
const PROGRESS_INTERVAL_MS = 100;
/** Postgres gets the progress far less often: it is only what a reload shows. */
const DB_PROGRESS_INTERVAL_MS = 1_000;

/**
 * The engine request a job's stored params map to: its kind module builds it
 * (lib/jobs/kinds), reading source images and image prompts from storage.
 * Exported for tests that render in-process.
 */
export function engineRequest(params: TJobParams, storage: StorageTarget): Promise<TGenerationRequestInput> {
  return registryEngineRequest(params, { readImage: (storageKey, cover) => readSource(storage, storageKey, cover) });
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
 * only completes from `running`. Every status change goes through
 * lib/server/jobs/lifecycle.ts. `signal` aborts when the user cancels.
 */
export async function handleGenerate(job: Job<TGpuJobData>, context: GpuContext, signal: AbortSignal): Promise<string> {
  const { db, log } = context;
  const jobId = job.data.jobId;
  // Wall-clock marks and per-stage times for the "job completed" line (bench/e2e splits a job's latency with them).
  const pickedAt = Date.now();
  const clock = new StageClock();
  // Only a job still waiting (or retrying) may start: a cancel may have won the race. One statement starts it and reads it.
  const row = await clock.time("database", () => startJob(db, jobId, context.workerId));
  if (!row) return "skipped: the job is no longer waiting";
  // The first progress event goes out at pick-up, before the model and its sessions are touched: the
  // browser learns at once that its job runs (bench/e2e: submit → first progress).
  void job.updateProgress({ fraction: 0, stage: "start" }).catch(() => undefined);

  let params: TJobParams;
  try {
    params = ZJobParams.parse(row.params);
    await access(path.join(context.modelsDir, params.model, "model_index.json"));
  } catch (error) {
    const message = error instanceof ZodError ? "The job's parameters are invalid." : "This worker does not have the job's model installed.";
    await failJob(db, { id: jobId, userId: row.userId }, { message, note: "failed: unrunnable" });
    throw new UnrecoverableError(message);
  }

  const attempt = row.attempts;
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
  /** When inference began: a cancelled attempt is charged the GPU time it used until then. */
  let inferenceStarted: number | undefined;
  try {
    const request = await clock.time("prepare", () => engineRequest(params, context.storage));
    inferenceStarted = performance.now();
    const result = await clock.time("runner", () => context.runner.generate(path.join(context.modelsDir, params.model), request, {
      signal,
      onProgress: (progress) => {
        const now = Date.now();
        const fraction = progress.total > 0 ? progress.completed / progress.total : 0;
        if (now - lastEvent >= PROGRESS_INTERVAL_MS || progress.completed === progress.total) {
          lastEvent = now;
          void job.updateProgress({ fraction, stage: progress.stage }).catch(() => undefined);
        }
        if (now - lastDbWrite >= DB_PROGRESS_INTERVAL_MS) {
          lastDbWrite = now;
          void recordJobProgress(db, jobId, fraction).catch(() => undefined);
        }
      },
      ...(context.publishPreview && { onPreview: (preview: LatentPreview) => context.publishPreview?.(jobId, preview) }),
    }));

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
    // The files are encoded and stored while the completion's statements run (completeJob commits
    // only once they are written): on a draft the two took ≈ 10 ms each, one after the other. Each
    // image is stored as soon as it is encoded, while the others still encode.
    const filesWritten = clock.time("files", () =>
      Promise.all(result.images.map(async (generated, index) => storeImageFiles(context.storage, images[index]!.storageKey, await encodeImageFiles(generated.image)))),
    );

    const gpuMs = Math.round(result.timings.inferenceMs);
    const completed = await clock.time("finish", () =>
      completeJob(db, { id: jobId, userId: row.userId, mode: row.mode }, {
        gpuMs,
        wallMs: Math.round(result.timings.wallMs),
        images,
        // The attempt's usage row is written with the completion, in its transaction.
        attempt: { attempt, workerId: context.workerId, wallMs: Math.round(performance.now() - attemptStarted) },
        filesWritten,
      }),
    );
    if (!completed) {
      const outcome = await settleLostAttempt(db, context.storage, { id: jobId, userId: row.userId, mode: row.mode }, gpuMs);
      await recordAttempt(outcome, gpuMs);
      return outcome === "duplicate" ? "skipped: completed by another attempt" : "cancelled";
    }
    context.announceFinished(jobId);
    log.info(
      {
        jobId,
        images: images.length,
        gpuMs,
        wallMs: Math.round(result.timings.wallMs),
        // Epoch ms: when the job was enqueued (BullMQ's timestamp), picked up here, and done here.
        queuedAt: job.timestamp,
        pickedAt,
        doneAt: Date.now(),
        ...clock.fields(),
      },
      "job completed",
    );
    return "completed";
  } catch (error) {
    if (signal.aborted) {
      const usedMs = inferenceStarted === undefined ? 0 : Math.round(performance.now() - inferenceStarted);
      await settleCancelledJob(db, { id: jobId, userId: row.userId, mode: row.mode }, usedMs);
      await recordAttempt("cancelled", usedMs);
      await removeJobFiles(context.storage, row.userId, jobId);
      log.info({ jobId, gpuMs: usedMs }, "job cancelled while running; charged the GPU time it used");
      return "cancelled";
    }
    const isFinal = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.warn({ jobId, err: error, attempt: job.attemptsMade + 1, isFinal }, "job attempt failed");
    await recordAttempt("failed", null);
    // A final failure returns the hold and removes the files the attempt wrote (they
    // have no rows); a retry writes the same keys again, so it keeps them.
    if (isFinal) await failJob(db, { id: jobId, userId: row.userId }, { message: userMessage(error), note: "failed", from: "running" }, { storage: context.storage, log });
    else await retryJobLater(db, jobId);
    throw error;
  }
}
