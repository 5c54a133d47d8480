import path from "node:path";
import { UnrecoverableError, type Job } from "bullmq";
import { Describer } from "@/lib/describe/describer";
import { ZDescribeTaskData, type TDescribeTaskResult } from "@/lib/describe/task";
import type { TGpuJobData } from "@/lib/jobs/queue";
import type { GpuContext } from "../gpu-context";
import { readImagePixels } from "../image-files";

/**
 * Describers by model folder, loaded on a model's first describe and kept:
 * the classifier is under 4 MB and opening its session costs more than a
 * describe. A failed load is not kept, so the next request tries again.
 */
const describers = new Map<string, Promise<Describer | undefined>>();

function describerFor(modelDir: string): Promise<Describer | undefined> {
  let loading = describers.get(modelDir);
  if (!loading) {
    loading = Describer.load(modelDir);
    describers.set(modelDir, loading);
    loading.catch(() => describers.delete(modelDir));
  }
  return loading;
}

/**
 * Four prompts for one stored image, with the model's own describer
 * (docs/describe.md). It runs on the model's worker because the classifier is
 * an ONNX graph (the web process never opens one); the judge run is a few
 * milliseconds and the pixel statistics a few more, so it runs inline rather
 * than through the runner's inference thread.
 */
export async function handleDescribe(job: Job<TGpuJobData>, context: GpuContext): Promise<TDescribeTaskResult> {
  const parsed = ZDescribeTaskData.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError("The describe task is malformed.");
  const { model, storageKey, width, height } = parsed.data;
  const describer = await describerFor(path.join(context.modelsDir, model));
  if (!describer) throw new UnrecoverableError(`${model} ships no describer.`);
  const image = await readImagePixels(context.storage, storageKey, { width, height }).catch((error: unknown) => {
    throw new UnrecoverableError(`The image to describe could not be read: ${(error as Error).message}`);
  });
  const candidates = await describer.describe(image);
  context.log.debug({ model, prompts: candidates.map((c) => c.prompt) }, "described an image");
  return { prompts: candidates.map((candidate) => candidate.prompt) };
}
