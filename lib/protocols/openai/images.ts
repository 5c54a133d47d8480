import "server-only";
import { AppError } from "@/lib/errors";
import { listModels } from "@/lib/models/catalog";
import { createImagineJobs, getPlanLimits, IMAGES_PER_GRID } from "@/lib/server/jobs/create-imagine-jobs";
import { createUploadEditJob } from "@/lib/server/jobs/edit-jobs";
import type { Principal } from "@/lib/server/principal";
import type { ProtocolContext } from "../context";
import { readPng } from "../image-files";
import { parseSize, withPromptDefaults } from "../prompt-defaults";
import { signedImageUrl } from "../signed-url";
import { uploadImage } from "../uploads";
import { waitForJobs, type FinishedImage } from "../wait-for-jobs";
import { openAiMaskToEditorMask } from "./mask";
import type { ImagesResponse, TEditsFields, TGenerationsRequest, TVariationsFields } from "./schemas";

/**
 * The OpenAI Images API on Mirage's own use cases: every request becomes
 * ordinary jobs (createImagineJobs, the Editor's createUploadEditJob), so
 * rate limits, plan caps, the fast-time hold and the gallery apply as for
 * the web; the request then waits for them (bounded) and answers with the
 * images. n images are ceil(n / 4) grids of four (a `--r` repeat, accepted
 * all at once or not at all), of which the first n are returned.
 */

/** Model names OpenAI clients send by default; they mean "the studio's default model". */
const OPENAI_MODEL_NAMES = /^(dall-e-\d|gpt-image-[\w.-]+)$/i;

async function pickModel(web: ProtocolContext, requested: string | null | undefined): Promise<string | undefined> {
  if (!requested || OPENAI_MODEL_NAMES.test(requested)) return undefined;
  const models = await listModels(web.jobs.modelsDir);
  if (models.some((model) => model.id === requested)) return requested;
  throw new AppError("BAD_REQUEST", `Unknown model "${requested}". Installed: ${models.map((model) => model.id).join(", ") || "none"} (GET /v1/models).`);
}

function gridsFor(n: number): number {
  return Math.ceil(n / IMAGES_PER_GRID);
}

/**
 * n images are one `--r` submission; the plan's cap on --r would otherwise
 * surface as an error about a parameter the client never sent.
 */
async function assertPlanAllows(web: ProtocolContext, principal: Principal, n: number): Promise<void> {
  const grids = gridsFor(n);
  if (grids === 1) return;
  const plan = await getPlanLimits(web.jobs, principal.userId);
  if (grids > plan.maxRepeat) {
    throw new AppError("BAD_REQUEST", `n = ${n} needs ${grids} grids of four; the ${plan.name} plan makes at most ${plan.maxRepeat} at once, so n can be at most ${plan.maxRepeat * IMAGES_PER_GRID}.`);
  }
}

async function respond(
  web: ProtocolContext,
  images: FinishedImage[],
  format: "url" | "b64_json" | null | undefined,
  revisedPrompt?: string,
): Promise<ImagesResponse> {
  const data = await Promise.all(
    images.map(async (image) => ({
      ...(format === "b64_json"
        ? { b64_json: (await readPng(web.storage, image.storageKey)).toString("base64") }
        : { url: signedImageUrl({ publicUrl: web.config.PUBLIC_URL, secret: web.config.AUTH_SECRET, imageId: image.id }) }),
      ...(revisedPrompt !== undefined && { revised_prompt: revisedPrompt }),
    })),
  );
  return { created: Math.floor(Date.now() / 1000), data };
}

async function finish(web: ProtocolContext, principal: Principal, jobIds: string[], n: number, signal?: AbortSignal) {
  const finished = await waitForJobs(web, principal.userId, jobIds, { signal });
  return finished.flatMap((job) => job.images).slice(0, n);
}

/** POST /v1/images/generations */
export async function generateImages(web: ProtocolContext, principal: Principal, body: TGenerationsRequest, signal?: AbortSignal): Promise<ImagesResponse> {
  const n = body.n ?? 1;
  const model = await pickModel(web, body.model);
  await assertPlanAllows(web, principal, n);
  const prompt = withPromptDefaults(body.prompt, {
    aspect: parseSize(body.size),
    draft: body.quality === "low" || body.quality === "medium",
    repeat: gridsFor(n),
  });
  const view = await createImagineJobs(web.jobs, principal, { prompt, ...(model && { model }) });
  const images = await finish(web, principal, view.jobIds, n, signal);
  return respond(web, images, body.response_format, view.prompt);
}

/**
 * Image-to-image from an uploaded image: an imagine job with the upload as
 * its image prompt (lib/server/jobs/create-imagine-jobs.ts), at the prompt's
 * `--iw` or the given default. The aspect ratio is the upload's unless a
 * size (or `--ar`) says otherwise.
 */
async function imagineFromUpload(
  web: ProtocolContext,
  principal: Principal,
  input: { bytes: Uint8Array; prompt: string; n: number; size: string | null | undefined; model: string | undefined; imageWeight?: number },
  signal?: AbortSignal,
) {
  await assertPlanAllows(web, principal, input.n);
  const upload = await uploadImage(web, principal, input.bytes);
  const prompt = withPromptDefaults(input.prompt, {
    aspect: parseSize(input.size) ?? { width: upload.width, height: upload.height },
    repeat: gridsFor(input.n),
    ...(input.imageWeight !== undefined && { imageWeight: input.imageWeight }),
  });
  const view = await createImagineJobs(web.jobs, principal, { prompt, imagePrompt: { uploadId: upload.id }, ...(input.model && { model: input.model }) });
  const images = await finish(web, principal, view.jobIds, input.n, signal);
  return { images, prompt: view.prompt };
}

/**
 * What a variation is asked to show. OpenAI's variations have no prompt; the
 * image carries them (img2img at strength 0.3), and an empty prompt is not
 * one Mirage accepts.
 */
export const VARIATION_PROMPT = "a close variation of the image";
/** `--iw 3`: img2img strength 0.9 − 0.2 × 3 = 0.3, close to the source like Vary (Subtle). */
export const VARIATION_IMAGE_WEIGHT = 3;

/**
 * POST /v1/images/variations. Vary (Subtle) works on the user's generated
 * images only (lib/server/jobs/derive-jobs.ts), so an uploaded image is
 * varied by the honest equivalent: an imagine with the upload as the image
 * prompt at the highest image weight.
 */
export async function varyImage(web: ProtocolContext, principal: Principal, image: Uint8Array, fields: TVariationsFields, signal?: AbortSignal): Promise<ImagesResponse> {
  const model = await pickModel(web, fields.model);
  const { images } = await imagineFromUpload(
    web,
    principal,
    { bytes: image, prompt: VARIATION_PROMPT, n: fields.n ?? 1, size: fields.size, model, imageWeight: VARIATION_IMAGE_WEIGHT },
    signal,
  );
  return respond(web, images, fields.response_format);
}

/**
 * POST /v1/images/edits. Without a mask: image-to-image with the prompt
 * (`--iw` 1 unless the prompt sets it). With a mask: the Editor's Vary
 * Region on the upload (lib/server/jobs/edit-jobs.ts), the mask converted
 * from OpenAI's transparency convention; the output keeps the upload's
 * aspect ratio at the model's trained area, so `size` is not used, and each
 * grid is one edit job.
 */
export async function editImage(
  web: ProtocolContext,
  principal: Principal,
  files: { image: Uint8Array; mask: Uint8Array | null },
  fields: TEditsFields,
  signal?: AbortSignal,
): Promise<ImagesResponse> {
  const model = await pickModel(web, fields.model);
  const n = fields.n ?? 1;
  if (!files.mask) {
    const { images, prompt } = await imagineFromUpload(web, principal, { bytes: files.image, prompt: fields.prompt, n, size: fields.size, model }, signal);
    return respond(web, images, fields.response_format, prompt);
  }
  if (model) throw new AppError("BAD_REQUEST", "A masked edit runs on the studio's default model; leave `model` out (or send an OpenAI model name).");
  const mask = (await openAiMaskToEditorMask(files.mask)).toString("base64");
  const upload = await uploadImage(web, principal, files.image);
  const jobs: string[] = [];
  // One edit job per grid; each is accepted (held, rate-limited) on its own, like the Editor's button pressed again.
  for (let grid = 0; grid < gridsFor(n); grid++) {
    const view = await createUploadEditJob({ ...web.jobs, storage: web.storage }, principal, upload.id, { kind: "region", mask, prompt: fields.prompt });
    jobs.push(view.id);
  }
  const images = await finish(web, principal, jobs, n, signal);
  return respond(web, images, fields.response_format);
}
