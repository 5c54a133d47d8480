import type { Prisma } from "@/lib/generated/prisma/client";
import { imagePromptOf, outputSize, ZJobParams, type TJobParams } from "@/lib/jobs/registry";
import { ZJobSource, ZJobType, type TJobView } from "@/lib/schemas/jobs";

/** Columns every job view needs; one select so list and detail agree. */
export const JOB_VIEW_SELECT = {
  id: true,
  type: true,
  mode: true,
  status: true,
  source: true,
  progress: true,
  prompt: true,
  recipe: true,
  params: true,
  parentImageId: true,
  error: true,
  gpuMs: true,
  estimateMs: true,
  multiplier: true,
  chargedMs: true,
  createdAt: true,
  finishedAt: true,
  images: {
    where: { deletedAt: null },
    orderBy: { index: "asc" },
    select: { id: true, index: true, seed: true, width: true, height: true, isDraft: true, recipe: true },
  },
} satisfies Prisma.JobSelect;

export type JobViewRow = Prisma.JobGetPayload<{ select: typeof JOB_VIEW_SELECT }>;

function imagePromptView(params: TJobParams): TJobView["imagePrompt"] {
  const imagePrompt = imagePromptOf(params);
  if (!imagePrompt) return null;
  const { uploadId, imageId } = imagePrompt;
  const thumbUrl = uploadId ? `/api/v1/uploads/${uploadId}/file?size=thumb` : `/api/v1/images/${imageId}/file?size=thumb`;
  return { ...imagePrompt, thumbUrl };
}

export function toJobView(row: JobViewRow): TJobView {
  const params = ZJobParams.parse(row.params);
  return {
    id: row.id,
    type: ZJobType.parse(row.type),
    mode: row.mode,
    status: row.status,
    source: ZJobSource.parse(row.source),
    progress: row.status === "completed" ? 1 : row.progress,
    prompt: row.prompt,
    recipe: row.recipe as Record<string, unknown>,
    size: outputSize(params),
    isDraft: params.quality === "draft",
    parentImageId: row.parentImageId,
    imagePrompt: imagePromptView(params),
    error: row.error,
    gpuMs: row.gpuMs,
    receipt: { estimateMs: row.estimateMs, multiplier: row.multiplier, chargedMs: row.chargedMs },
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    images: row.images.map((image) => ({
      id: image.id,
      index: image.index,
      seed: Number(image.seed),
      width: image.width,
      height: image.height,
      isDraft: image.isDraft,
      recipe: image.recipe as Record<string, unknown>,
      url: `/api/v1/images/${image.id}/file?size=full`,
      thumbUrl: `/api/v1/images/${image.id}/file?size=thumb`,
    })),
  };
}
