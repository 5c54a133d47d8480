import { randomUUID } from "node:crypto";
import type { z } from "zod";
import path from "node:path";
import { readModelLayout } from "@/lib/diffusion/model/layout";
import { outpaintLayout, sizeMultipleOf, type TOutpaintMove } from "@/lib/editor/outpaint-layout";
import { AppError } from "@/lib/errors";
import { EDIT_JOB_TYPES, type TEditOperation } from "@/lib/jobs/kinds/edit";
import type { ZJobPersonalization } from "@/lib/jobs/params";
import { ZJobParams, type TJobParams } from "@/lib/jobs/registry";
import { sizeForAspect, type CatalogModel } from "@/lib/models/catalog";
import { ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import { defaultSettings } from "@/lib/prompt/recipe";
import { MASK_DATA_URL_PREFIX, type TEditRequest } from "@/lib/schemas/editor";
import type { TJobView } from "@/lib/schemas/jobs";
import { resolveJobPersonalization } from "@/lib/server/personalization/service";
import { notOwnImageError } from "@/lib/server/gallery/image-access";
import type { Principal } from "@/lib/server/principal";
import { IMAGE_CONTENT_TYPE, imageFileKey, maskStorageKey, readStoredObject, removeImageFiles, type ObjectStore } from "@/lib/storage";
import { decodeMask } from "@/lib/uploads/mask-image";
import type { JobContext } from "./context";
import { acceptJobs } from "./accept-jobs";
import { getPlanLimits, IMAGES_PER_GRID, randomSeed, resolveMode, resolveModel } from "./create-imagine-jobs";
import { toJobView } from "./job-view";
import { remixRecipe } from "./remix-recipe";

/**
 * The Editor's use case: Vary Region, Zoom Out, Pan and Make Square on one
 * of the caller's images or uploads (someone else's reads as not found). An
 * image's edit inherits its prompt, recipe, model, personalization and mode
 * and records it as the parent (lineage); an upload's uses the default
 * model. The mask is checked, reduced to black and white at the edited size
 * and stored as a PNG next to the user's images before the job is accepted,
 * so the job's params name everything a rerun needs.
 */

/** The job context plus the image store the mask is written to. */
export type EditContext = JobContext & { storage: ObjectStore };

/** An edit's canvas may grow (Pan after Pan) up to this many times the model's largest trained size. */
const MAX_CANVAS_AREA_RATIO = 4;

interface EditSource {
  storageKey: string;
  imageId?: string;
  uploadId?: string;
  /** The size the edit works at. */
  width: number;
  height: number;
}

interface EditBase {
  source: EditSource;
  model: CatalogModel;
  sizeMultiple: number;
  recipe: TPromptRecipe;
  prompt: string;
  negativePrompt: string;
  personalize: z.infer<typeof ZJobPersonalization> | undefined;
  mode: TJobView["mode"] | undefined;
  parentImageId: string | null;
}

/** The model's catalog entry and its size multiple (from its manifest). */
async function modelFor(context: JobContext, modelId?: string): Promise<{ model: CatalogModel; sizeMultiple: number }> {
  const model = await resolveModel(context, modelId);
  const layout = await readModelLayout(path.join(context.modelsDir, model.id));
  return { model, sizeMultiple: sizeMultipleOf(layout.manifest) };
}

async function imageBase(context: JobContext, principal: Principal, imageId: string, body: TEditRequest): Promise<EditBase> {
  const image = await context.db.image.findFirst({
    // A deleted image (still inside its undo window) cannot be edited.
    where: { id: imageId, userId: principal.userId, deletedAt: null },
    select: { id: true, width: true, height: true, storageKey: true, job: { select: { mode: true, recipe: true, params: true } } },
  });
  // A teammate's image seen through a team folder is read-only: 403 naming the owner (docs/teams.md).
  if (!image) throw await notOwnImageError(context.db, principal.userId, [imageId]);
  const params: TJobParams = ZJobParams.parse(image.job.params);
  const { model, sizeMultiple } = await modelFor(context, params.model);
  let recipe = { ...ZPromptRecipe.parse(image.job.recipe), draft: false };
  if (body.prompt !== undefined) recipe = remixRecipe(recipe, body.prompt, (await getPlanLimits(context, principal.userId)).maxRepeat);
  const remixed = body.prompt !== undefined;
  return {
    source: { storageKey: image.storageKey, imageId: image.id, width: image.width, height: image.height },
    model,
    sizeMultiple,
    recipe,
    prompt: remixed ? recipe.prompt : params.prompt,
    negativePrompt: remixed ? (recipe.negativePrompt ?? "") : params.negativePrompt,
    personalize: params.personalize,
    mode: image.job.mode,
    parentImageId: image.id,
  };
}

/**
 * An upload is edited at the model's trained area, keeping its aspect ratio
 * (sides snapped to the size multiple): the model draws best at the sizes it
 * was trained on, and uploads may be up to 1024 px.
 */
function uploadWorkingSize(model: CatalogModel, multiple: number, upload: { width: number; height: number }) {
  const bucket = sizeForAspect(model, upload);
  const scale = Math.sqrt((bucket.width * bucket.height) / (upload.width * upload.height));
  const snap = (value: number) => Math.max(multiple, Math.round(value / multiple) * multiple);
  return { width: snap(upload.width * scale), height: snap(upload.height * scale) };
}

async function uploadBase(context: JobContext, principal: Principal, uploadId: string, body: TEditRequest): Promise<EditBase> {
  const upload = await context.db.upload.findFirst({ where: { id: uploadId, userId: principal.userId }, select: { id: true, storageKey: true, width: true, height: true } });
  if (!upload) throw new AppError("NOT_FOUND", "No such upload.");
  const { model, sizeMultiple } = await modelFor(context);
  const base = { ...defaultSettings(), prompt: "" } satisfies TPromptRecipe;
  const recipe = body.prompt !== undefined ? remixRecipe(base, body.prompt, (await getPlanLimits(context, principal.userId)).maxRepeat) : base;
  const personalize = (await resolveJobPersonalization(context, principal.userId, model.id, recipe)) ?? undefined;
  return {
    source: { storageKey: upload.storageKey, uploadId: upload.id, ...uploadWorkingSize(model, sizeMultiple, upload) },
    model,
    sizeMultiple,
    recipe,
    prompt: recipe.prompt,
    negativePrompt: recipe.negativePrompt ?? "",
    personalize,
    mode: undefined,
    parentImageId: null,
  };
}

/** The mask's bytes: the base64 body, or one of the caller's uploads. */
async function maskBytes(context: EditContext, userId: string, body: Extract<TEditRequest, { kind: "region" }>): Promise<Uint8Array> {
  if (body.mask !== undefined) return Buffer.from(body.mask.replace(MASK_DATA_URL_PREFIX, ""), "base64");
  const upload = await context.db.upload.findFirst({ where: { id: body.maskUploadId, userId }, select: { storageKey: true } });
  if (!upload) throw new AppError("NOT_FOUND", "No such upload to use as the mask.");
  const object = await context.storage.get(imageFileKey(upload.storageKey, "full"));
  if (!object) throw new AppError("NOT_FOUND", "The mask upload's file is gone; upload it again.");
  return readStoredObject(object);
}

/** Checks the mask and stores it; returns its storage key. */
async function storeMask(context: EditContext, userId: string, body: Extract<TEditRequest, { kind: "region" }>, size: { width: number; height: number }): Promise<string> {
  const mask = await decodeMask(await maskBytes(context, userId, body), size);
  if (mask.coverage === 0) throw new AppError("BAD_REQUEST", "The mask is empty: paint the area to repaint in white.");
  if (mask.coverage === 1) throw new AppError("BAD_REQUEST", "The mask covers the whole image: leave part of it black, or use Vary or a new prompt to change everything.");
  const key = maskStorageKey(userId, randomUUID());
  await context.storage.put(imageFileKey(key, "full"), mask.png, IMAGE_CONTENT_TYPE.full);
  return key;
}

function moveOf(operation: Exclude<TEditOperation, { kind: "region" }>): TOutpaintMove {
  if (operation.kind === "zoom") return { kind: "zoom", factor: operation.factor };
  if (operation.kind === "pan") return { kind: "pan", direction: operation.direction };
  return { kind: "square" };
}

/** The output canvas of an outpainting move, refused (400) when it cannot be made or grows too large. */
function outpaintCanvas(base: EditBase, operation: Exclude<TEditOperation, { kind: "region" }>) {
  let canvas: { width: number; height: number };
  try {
    canvas = outpaintLayout(base.source, moveOf(operation), base.sizeMultiple).canvas;
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_REQUEST", `Cannot ${operation.kind === "square" ? "make this image square" : operation.kind}: ${error.message}.`);
    throw error;
  }
  const largest = Math.max(...Object.values(base.model.sizes).map((size) => size.width * size.height), 512 * 512);
  if (canvas.width * canvas.height > MAX_CANVAS_AREA_RATIO * largest || Math.max(canvas.width, canvas.height) > 4096) {
    throw new AppError("BAD_REQUEST", `The canvas would be ${canvas.width}×${canvas.height}, more than this model can fill; pan from a smaller image.`);
  }
  return canvas;
}

async function createEditJob(context: EditContext, principal: Principal, base: EditBase, body: TEditRequest): Promise<TJobView> {
  const plan = await getPlanLimits(context, principal.userId);
  // As Vary does: an image made in Relax is edited in Fast when the plan has no Relax (any more).
  const inherited = base.mode === "relax" && !plan.relaxAllowed ? "fast" : base.mode;
  const mode = resolveMode(base.recipe, inherited, plan);
  let operation: TEditOperation;
  let output = { width: base.source.width, height: base.source.height };
  let storedMask: string | undefined;
  if (body.kind === "region") {
    storedMask = await storeMask(context, principal.userId, body, base.source);
    operation = { kind: "region", maskStorageKey: storedMask };
  } else {
    operation = body.kind === "zoom" ? { kind: "zoom", factor: body.factor } : body.kind === "pan" ? { kind: "pan", direction: body.direction } : { kind: "square" };
    output = outpaintCanvas(base, operation);
  }
  const params: TJobParams = {
    kind: "edit",
    model: base.model.id,
    prompt: base.prompt,
    negativePrompt: base.negativePrompt,
    seed: randomSeed(),
    quality: "full",
    ...(base.personalize && { personalize: base.personalize }),
    edit: operation,
    source: base.source,
    output,
    count: IMAGES_PER_GRID,
  };
  try {
    const [row] = await acceptJobs(context, principal.userId, [
      { type: EDIT_JOB_TYPES[operation.kind], mode, prompt: base.recipe.prompt, recipe: base.recipe, params, parentImageId: base.parentImageId },
    ]);
    if (!row) throw new AppError("BAD_REQUEST", "No job was created.");
    return toJobView(row);
  } catch (error) {
    // Not accepted (limits, funds): the mask stored for it would never be read.
    if (storedMask) await removeImageFiles(context.storage, storedMask).catch(() => undefined);
    throw error;
  }
}

/** POST /api/v1/images/{id}/edit */
export async function createImageEditJob(context: EditContext, principal: Principal, imageId: string, body: TEditRequest): Promise<TJobView> {
  return createEditJob(context, principal, await imageBase(context, principal, imageId, body), body);
}

/** POST /api/v1/uploads/{id}/edit */
export async function createUploadEditJob(context: EditContext, principal: Principal, uploadId: string, body: TEditRequest): Promise<TJobView> {
  return createEditJob(context, principal, await uploadBase(context, principal, uploadId, body), body);
}
