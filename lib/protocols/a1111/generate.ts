import "server-only";
import { AppError } from "@/lib/errors";
import { acceptJobs, type NewJob } from "@/lib/server/jobs/accept-jobs";
import { IMAGES_PER_GRID, planImagine, randomSeed } from "@/lib/server/jobs/create-imagine-jobs";
import { createUploadEditJob } from "@/lib/server/jobs/edit-jobs";
import type { Principal } from "@/lib/server/principal";
import type { ProtocolContext } from "../context";
import { readPng } from "../image-files";
import { withPromptDefaults } from "../prompt-defaults";
import { uploadImage } from "../uploads";
import { waitForJobs, type FinishedImage } from "../wait-for-jobs";
import { callerModelId, findCheckpoint } from "./models";
import { samplerFor } from "./samplers";
import type { A1111Result, TImg2ImgRequest, TTxt2ImgRequest } from "./schemas";

/**
 * txt2img and img2img on Mirage's imagine jobs. What differs from the
 * imagine bar: the seed, sampler, steps and cfg_scale the client sends are
 * used as they are (the job's sampler overrides), the image count is exact
 * (batch_size × n_iter images, in jobs of up to four), and image k gets seed
 * + k as in A1111, so the same seed and settings give the same bytes. The
 * prompt still goes through Mirage's parser (plan caps, `--` parameters),
 * and the jobs through acceptJobs (limits, the fast-time hold, the gallery).
 * Width and height choose the model's nearest aspect bucket: Mirage renders
 * the sizes its models were trained at; `info` reports the size made.
 */

const SEED_SPACE = 2 ** 32;

function decodeBase64Image(value: string, what: string): Uint8Array {
  const data = value.replace(/^data:image\/[\w.+-]+;base64,/, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data.replace(/\s/g, ""))) throw new AppError("BAD_REQUEST", `${what} must be a base64-encoded image.`);
  return Buffer.from(data, "base64");
}

/** A1111's denoising strength as Mirage's --iw (strength = 0.9 − 0.2 × iw), kept inside --iw's 0–3 in steps of 0.01. */
export function imageWeightFor(denoisingStrength: number): number {
  return Math.min(3, Math.max(0, Math.round(((0.9 - denoisingStrength) / 0.2) * 100) / 100));
}

async function modelFor(web: ProtocolContext, principal: Principal, body: TTxt2ImgRequest): Promise<string> {
  const checkpoint = body.override_settings?.sd_model_checkpoint;
  return checkpoint ? (await findCheckpoint(web, checkpoint)).id : callerModelId(web, principal.userId);
}

async function imagesResult(web: ProtocolContext, images: FinishedImage[], body: Record<string, unknown>, info: Record<string, unknown>): Promise<A1111Result> {
  const encoded = await Promise.all(images.map(async (image) => (await readPng(web.storage, image.storageKey)).toString("base64")));
  const seeds = images.map((image) => Number(image.seed));
  const first = images[0];
  return {
    images: encoded,
    // A1111 echoes the request; the init images are left out (they can be megabytes).
    parameters: { ...body, init_images: undefined, mask: undefined },
    info: JSON.stringify({
      ...info,
      seed: seeds[0],
      all_seeds: seeds,
      subseed: -1,
      all_subseeds: seeds.map(() => -1),
      width: first?.width,
      height: first?.height,
      image_ids: images.map((image) => image.id),
    }),
  };
}

async function runImagine(
  web: ProtocolContext,
  principal: Principal,
  body: TTxt2ImgRequest,
  options: { aspect: { width: number; height: number }; uploadId?: string; imageWeight?: number; signal?: AbortSignal },
): Promise<A1111Result> {
  const sampler = samplerFor(body.sampler_name ?? body.sampler_index, body.scheduler);
  const overrides = { ...sampler, ...(body.steps != null && { steps: body.steps }), ...(body.cfg_scale != null && { guidance: body.cfg_scale }) };
  const model = await modelFor(web, principal, body);
  const prompt = withPromptDefaults(body.prompt.trim(), {
    aspect: options.aspect,
    ...(options.imageWeight !== undefined && { imageWeight: options.imageWeight }),
  });
  const { recipe, mode, paramsWithSeed } = await planImagine(web.jobs, principal.userId, {
    prompt,
    model,
    ...(options.uploadId && { imagePrompt: { uploadId: options.uploadId } }),
  });
  const total = (body.batch_size ?? 1) * (body.n_iter ?? 1);
  // A seed in the prompt (--seed) wins, as everywhere in Mirage; then the request's; -1 is random.
  const firstSeed = recipe.seed ?? (body.seed != null && body.seed >= 0 ? body.seed : randomSeed());
  const negativePrompt = [recipe.negativePrompt, body.negative_prompt?.trim()].filter(Boolean).join(", ");
  const jobs: NewJob[] = [];
  for (let start = 0; start < total; start += IMAGES_PER_GRID) {
    const params = paramsWithSeed((firstSeed + start) % SEED_SPACE);
    if (params.kind !== "imagine") throw new Error("planImagine made a non-imagine job");
    jobs.push({
      type: "imagine",
      mode,
      prompt: recipe.prompt,
      recipe: { ...recipe, seed: firstSeed, ...(negativePrompt && { negativePrompt }) },
      parentImageId: null,
      params: {
        ...params,
        negativePrompt: negativePrompt.slice(0, 2000),
        count: Math.min(IMAGES_PER_GRID, total - start),
        ...(Object.keys(overrides).length > 0 && { sampler: overrides }),
      },
    });
  }
  const rows = await acceptJobs(web.jobs, principal.userId, jobs);
  const finished = await waitForJobs(web, principal.userId, rows.map((row) => row.id), { signal: options.signal });
  return imagesResult(web, finished.flatMap((job) => job.images), body, {
    prompt: recipe.prompt,
    all_prompts: finished.flatMap((job) => job.images.map(() => recipe.prompt)),
    negative_prompt: negativePrompt,
    sd_model_name: model,
    sampler_name: body.sampler_name ?? body.sampler_index ?? null,
    steps: body.steps ?? null,
    cfg_scale: body.cfg_scale ?? null,
    job_ids: rows.map((row) => row.id),
  });
}

/** POST /sdapi/v1/txt2img */
export async function txt2img(web: ProtocolContext, principal: Principal, body: TTxt2ImgRequest, signal?: AbortSignal): Promise<A1111Result> {
  return runImagine(web, principal, body, { aspect: { width: body.width ?? 512, height: body.height ?? 512 }, signal });
}

/**
 * POST /sdapi/v1/img2img: the init image becomes an upload and the image
 * prompt of an imagine job, at the --iw that gives the requested denoising
 * strength (0.3–0.9 are exact; outside, the nearest). With a mask (white =
 * repaint), the Editor's Vary Region on the upload instead: that job runs
 * the model's own sampler with fresh seeds, so seed, steps and sampler do
 * not apply to it.
 */
export async function img2img(web: ProtocolContext, principal: Principal, body: TImg2ImgRequest, signal?: AbortSignal): Promise<A1111Result> {
  const upload = await uploadImage(web, principal, decodeBase64Image(body.init_images[0]!, "init_images[0]"));
  if (body.mask) {
    if (body.override_settings?.sd_model_checkpoint) await findCheckpoint(web, body.override_settings.sd_model_checkpoint);
    const mask = Buffer.from(decodeBase64Image(body.mask, "mask")).toString("base64");
    const total = (body.batch_size ?? 1) * (body.n_iter ?? 1);
    const jobIds: string[] = [];
    for (let start = 0; start < total; start += IMAGES_PER_GRID) {
      const view = await createUploadEditJob({ ...web.jobs, storage: web.storage }, principal, upload.id, { kind: "region", mask, ...(body.prompt.trim() && { prompt: body.prompt.trim() }) });
      jobIds.push(view.id);
    }
    const finished = await waitForJobs(web, principal.userId, jobIds, { signal });
    return imagesResult(web, finished.flatMap((job) => job.images).slice(0, total), body, { prompt: body.prompt, job_ids: jobIds });
  }
  const denoising = body.denoising_strength ?? 0.75;
  const aspect = body.width && body.height ? { width: body.width, height: body.height } : { width: upload.width, height: upload.height };
  const imageWeight = imageWeightFor(denoising);
  const result = await runImagine(web, principal, body, { aspect, uploadId: upload.id, imageWeight, signal });
  const info = JSON.parse(result.info) as Record<string, unknown>;
  return { ...result, info: JSON.stringify({ ...info, denoising_strength: Math.round((0.9 - 0.2 * imageWeight) * 100) / 100 }) };
}
