import path from "node:path";
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { z } from "zod";
import type { TGpuJobData } from "@/lib/jobs/queue";
import { listModels, sizeForAspect } from "@/lib/models/catalog";
import { modelStyle } from "@/lib/server/personalization/axes";
import { planPool, poolStorageKey } from "@/lib/server/personalization/pool";
import type { GpuContext } from "../gpu-context";
import { writeImageFiles } from "../image-files";

const ZPoolJobData = z.object({ model: z.string().regex(/^[\w.-]+$/), rerender: z.boolean().optional(), from: z.number().int().min(0).optional() });

/**
 * Images rendered per turn. Between turns the job steps back into the queue
 * (at Relax priority), so users' jobs never wait behind the whole pool — at
 * most behind one turn (a few seconds on a CPU).
 */
const IMAGES_PER_TURN = 9;

/**
 * Renders a model's ranking pool (lib/server/personalization/pool.ts): every
 * planned image not stored yet (all of them with `rerender`), at draft
 * quality, one square image per subject × seed × style vector. Resumable and
 * safe to run twice: rows are unique per (model, group, style) and files are
 * written before their row.
 */
export async function handlePersonalizationPool(job: Job<TGpuJobData>, context: GpuContext): Promise<string> {
  const parsed = ZPoolJobData.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError("The ranking pool job names no valid model.");
  const { model: modelId, rerender, from = 0 } = parsed.data;
  const model = (await listModels(context.modelsDir)).find((candidate) => candidate.id === modelId);
  if (!model) throw new UnrecoverableError(`This worker does not have ${modelId} installed.`);
  const style = await modelStyle(context.modelsDir, modelId);
  const plan = planPool(style.axes, style.subjects);
  const size = sizeForAspect(model, { width: 1, height: 1 });
  const existing = await context.db.poolImage.findMany({ where: { modelId }, select: { groupId: true, style: true } });
  const have = new Set(existing.map((row) => `${row.groupId}:${row.style.join(",")}`));
  const todo = rerender ? plan.slice(from) : plan.filter((image) => !have.has(`${image.groupId}:${image.style.join(",")}`));
  const started = performance.now();
  let done = 0;
  for (const image of todo) {
    const result = await context.runner.generate(path.join(context.modelsDir, modelId), {
      kind: "imagine",
      prompt: image.prompt,
      negativePrompt: "",
      seed: image.seed,
      quality: "draft",
      width: size.width,
      height: size.height,
      count: 1,
    });
    const generated = result.images[0]!;
    const storageKey = poolStorageKey(modelId, image.groupId, image.index);
    await writeImageFiles(context.storage, storageKey, generated.image);
    await context.db.poolImage.upsert({
      where: { modelId_groupId_style: { modelId, groupId: image.groupId, style: image.style } },
      create: { modelId, groupId: image.groupId, prompt: image.prompt, seed: BigInt(image.seed), style: image.style, storageKey, width: generated.image.width, height: generated.image.height },
      update: { prompt: image.prompt, seed: BigInt(image.seed), storageKey, width: generated.image.width, height: generated.image.height },
    });
    done++;
    void job.updateProgress({ fraction: done / todo.length, stage: "personalization-pool" }).catch(() => undefined);
    if (done >= IMAGES_PER_TURN && done < todo.length && job.token) {
      // Step back into the queue; finished images are in Postgres, so the next turn resumes after them.
      if (rerender) await job.updateData({ ...job.data, from: from + done } as TGpuJobData);
      await job.moveToDelayed(Date.now() + 50, job.token);
      throw new DelayedError();
    }
  }
  context.log.info({ model: modelId, rendered: done, planned: plan.length, wallMs: Math.round(performance.now() - started) }, "personalization pool rendered");
  return `rendered ${done} of ${plan.length} pool images`;
}
