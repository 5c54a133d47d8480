import { z } from "zod";
import { ZCursor, ZId, ZSafeString } from "./common";
import { ZRemixPrompt } from "./editor";
import { JOB_MODES, JOB_SOURCES, JOB_STATUSES } from "@/lib/jobs/model";
import { JOB_TYPES } from "@/lib/jobs/registry";

// Declared once in lib/jobs (model.ts and the kind registry); the API's enums derive from them.
export const ZJobType = z.enum(JOB_TYPES);
export type TJobType = z.infer<typeof ZJobType>;
export const ZJobMode = z.enum(JOB_MODES);
export const ZJobStatus = z.enum(JOB_STATUSES);
export const ZJobSource = z.enum(JOB_SOURCES).meta({ description: "Where the job was asked for: the studio (web and its REST API) or an outside protocol" });
export type TJobStatus = z.infer<typeof ZJobStatus>;

/**
 * An image prompt: one of the user's uploads or one of their own results
 * ("Use image"). `--iw` in the prompt sets how much it counts.
 */
export const ZImagePromptRef = z
  .strictObject({
    uploadId: ZId.optional().meta({ description: "An id from POST /api/v1/uploads" }),
    imageId: ZId.optional().meta({ description: "One of your generated images" }),
  })
  .refine((ref) => (ref.uploadId === undefined) !== (ref.imageId === undefined), { error: "give exactly one of uploadId or imageId" })
  .meta({ id: "ImagePromptRef" });
export type TImagePromptRef = z.infer<typeof ZImagePromptRef>;

export const ZCreateJobRequest = z.strictObject({
  prompt: ZSafeString.min(1, { error: "prompt must not be empty" }).max(6000, { error: "prompt is too long" }),
  mode: ZJobMode.optional().meta({ description: "Overrides --turbo/--fast/--relax in the prompt" }),
  model: z.string().regex(/^[\w.-]{1,100}$/, { error: "model must be a model id from GET /api/v1/models" }).optional(),
  imagePrompt: ZImagePromptRef.optional().meta({ description: "Start from this image; --iw (0–3, default 1) sets how much it counts" }),
});

export const ZImageFileQuery = z.object({ size: z.enum(["thumb", "full"]).default("full"), download: z.enum(["1"]).optional() });

export const ZModelList = z
  .object({
    defaultModel: z.string(),
    models: z.array(z.object({ id: z.string(), name: z.string(), aspectRatios: z.array(z.string()), hasUpscaler: z.boolean(), canDescribe: z.boolean().meta({ description: "Describe (POST /api/v1/describe) works for this model" }), workersOnline: z.number().int() })),
  })
  .meta({ id: "ModelList" });

export const ZRerunRequest = z.strictObject({ exact: z.boolean().default(false).meta({ description: "Keep the seeds: reproduce the same images" }) });

export const ZVaryRequest = z.strictObject({
  strength: z.enum(["subtle", "strong"]),
  prompt: ZRemixPrompt,
});
export const ZUpscaleRequest = z.strictObject({ kind: z.enum(["subtle", "creative"]) });

export const ZImageView = z
  .object({
    id: z.string(),
    index: z.number().int(),
    seed: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    isDraft: z.boolean(),
    recipe: z.record(z.string(), z.unknown()).meta({ description: "Exact engine recipe: model, scheduler, steps, guidance, seed, size, strength" }),
    url: z.string(),
    thumbUrl: z.string(),
  })
  .meta({ id: "Image" });
export type TImageView = z.infer<typeof ZImageView>;

export const ZJobView = z
  .object({
    id: z.string(),
    type: ZJobType,
    mode: ZJobMode,
    status: ZJobStatus,
    source: ZJobSource,
    progress: z.number().min(0).max(1),
    prompt: z.string(),
    recipe: z.record(z.string(), z.unknown()).meta({ description: "The parsed prompt (parameters normalised)" }),
    size: z.object({ width: z.number().int(), height: z.number().int() }),
    isDraft: z.boolean(),
    parentImageId: z.string().nullable(),
    imagePrompt: z
      .object({ uploadId: z.string().optional(), imageId: z.string().optional(), weight: z.number(), thumbUrl: z.string() })
      .nullable()
      .meta({ description: "The image prompt the job started from, with its --iw weight; thumbUrl answers 404 once that upload or image is deleted" }),
    error: z.string().nullable(),
    gpuMs: z.number().int(),
    receipt: z
      .object({ estimateMs: z.number().int(), multiplier: z.number(), chargedMs: z.number().int().nullable() })
      .meta({ description: "Reserved estimate, mode multiplier and the fast time finally charged" }),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    images: z.array(ZImageView),
  })
  .meta({ id: "Job" });
export type TJobView = z.infer<typeof ZJobView>;

export const ZJobList = z.object({ jobs: z.array(ZJobView), nextCursor: z.string().nullable() }).meta({ id: "JobList" });

export const ZCreatedJobs = ZJobView.extend({
  /** With `--r N`, the ids of all N jobs (this one first). */
  jobIds: z.array(z.string()),
}).meta({ id: "CreatedJobs" });

export const ZJobListQuery = z.object({
  cursor: ZCursor.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
