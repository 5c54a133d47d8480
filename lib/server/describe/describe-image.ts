import "server-only";
import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { TLlmConfig } from "@/lib/draft";
import { DESCRIBE_TASK, describeJobOptions, ZDescribeTaskResult, type TDescribeTaskData } from "@/lib/describe/task";
import { AppError } from "@/lib/errors";
import type { TGpuJobData } from "@/lib/jobs/queue";
import { listModels, sizeForAspect } from "@/lib/models/catalog";
import type { TDescribeRequest, TDescribeResponse } from "@/lib/schemas/describe";
import type { ObjectStore } from "@/lib/storage";
import type { JobContext } from "../jobs/context";
import { readableImageWhere } from "../gallery/image-access";
import { listOnlineWorkers } from "../workers";
import { describeWithLlm } from "./describe-with-llm";

export interface DescribeContext extends JobContext {
  storage: ObjectStore;
  /** The OpenAI-compatible model for models without a describer; null hides Describe for them. */
  llm: TLlmConfig | null;
  /** Per-user limit (throws RATE_LIMITED); the web server sets it. */
  limitDescribes?: (userId: string) => Promise<void>;
}

/** How long a request waits for the model's worker: a describe is milliseconds, but it may queue behind the image being made. */
const WORKER_WAIT_MS = 20_000;
const POLL_MS = 50;

/**
 * The stored file of one of the caller's uploads, or of an image the caller
 * may view (their own, or a teammate's in a team folder: the same rule as
 * viewing it, image-access.ts); anything else is not found.
 */
async function resolveSource(context: DescribeContext, userId: string, input: TDescribeRequest) {
  if (input.uploadId !== undefined) {
    const upload = await context.db.upload.findFirst({ where: { id: input.uploadId, userId }, select: { storageKey: true, width: true, height: true } });
    if (!upload) throw new AppError("NOT_FOUND", "No such upload to describe. Upload the image again.");
    return upload;
  }
  const image = await context.db.image.findFirst({ where: { AND: [{ id: input.imageId! }, readableImageWhere(userId)] }, select: { storageKey: true, width: true, height: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such image to describe.");
  return image;
}

/** Waits for the describe task's result; the job's own state is the truth (no event can be missed). */
async function waitForResult(queue: Queue<TGpuJobData>, jobId: string): Promise<unknown> {
  const deadline = Date.now() + WORKER_WAIT_MS;
  for (let delay = POLL_MS; Date.now() < deadline; delay = Math.min(delay * 2, 400)) {
    await new Promise((done) => setTimeout(done, delay));
    // One read of the job's hash: BullMQ finishes a job (finishedOn with its return value or its
    // failure) in one script, so this snapshot has both or neither. Asking for the state in a
    // second call could say "completed" about a snapshot read before the return value was set.
    const job = await queue.getJob(jobId);
    if (!job) break;
    if (job.finishedOn === undefined) continue;
    if (job.failedReason) throw new AppError("UNAVAILABLE", "The model's worker could not describe this image. Try another image.", { detail: job.failedReason });
    return job.returnvalue;
  }
  await queue.remove(jobId).catch(() => undefined);
  throw new AppError("UNAVAILABLE", "The model's worker did not answer in time (it may be busy with a long job). Try again in a moment.", { retryAfterSeconds: 5 });
}

/**
 * Four prompts for one of the caller's uploads or an image they may view (docs/describe.md §5): with the
 * model's own describer on its worker when it ships one, else with the
 * configured vision model, else 400.
 */
export async function describeImage(context: DescribeContext, userId: string, input: TDescribeRequest): Promise<TDescribeResponse> {
  await context.limitDescribes?.(userId);
  // Someone else's image is not found whatever the model: nothing about it leaks through the other answers.
  const source = await resolveSource(context, userId, input);
  const modelId = input.model ?? context.defaultModelId;
  const model = (await listModels(context.modelsDir)).find((candidate) => candidate.id === modelId);
  if (!model) throw new AppError("BAD_REQUEST", `There is no model "${modelId}". GET /api/v1/models lists the installed ones.`);
  if (!model.hasDescriber && !context.llm) {
    throw new AppError("BAD_REQUEST", `Describe is not available for ${model.name}: it ships no describer and this studio has no vision model configured (LLM_BASE_URL).`);
  }
  if (!model.hasDescriber) {
    const prompts = await describeWithLlm(context.llm!, context.storage, source.storageKey, context.log);
    return { prompts, model: modelId, describer: "llm" };
  }
  const workers = await listOnlineWorkers(context.db);
  if (!workers.some((worker) => worker.models.includes(modelId))) {
    throw new AppError("UNAVAILABLE", `No worker serving ${model.name} is online to describe the image. Start one (npm run worker) and try again.`, { retryAfterSeconds: 10 });
  }
  const size = sizeForAspect(model, { width: source.width, height: source.height });
  const data: TDescribeTaskData = { jobId: `describe-${randomUUID()}`, model: modelId, storageKey: source.storageKey, ...size };
  const queue = context.queue.forModel(modelId);
  try {
    await queue.add(DESCRIBE_TASK, data, describeJobOptions(data.jobId));
  } catch (error) {
    throw new AppError("UNAVAILABLE", "The job queue is unreachable right now. Try again in a moment.", { detail: (error as Error).message, retryAfterSeconds: 5 });
  }
  const result = ZDescribeTaskResult.safeParse(await waitForResult(queue, data.jobId));
  if (!result.success) throw new AppError("UNAVAILABLE", "The model's worker answered with something other than four prompts.", { detail: result.error.message });
  return { prompts: result.data.prompts, model: modelId, describer: "model" };
}
