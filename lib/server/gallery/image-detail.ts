import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { FROM_IMAGE_JOB_TYPES } from "@/lib/jobs/registry";
import type { TImageDetail } from "@/lib/schemas/gallery";
import { ZJobSource } from "@/lib/schemas/jobs";
import { notOwnImageError, readableImageWhere } from "./image-access";
import { toSharedGalleryImage } from "./list-images";

const MAX_DEPTH = 20;
/** Job types that always start from an earlier image (declared by the job kinds). */
const DERIVED_TYPES = new Set<string>(FROM_IMAGE_JOB_TYPES);

/**
 * One of the user's images with its exact recipe and lineage: the chain of
 * images it was made from (imagine → vary → upscale …) and what was made from
 * it. A deleted parent (purged, or awaiting purge) shows as removed; deleted
 * images themselves are not found.
 *
 * A teammate's image seen through a team folder reads the same, less its
 * lineage: the images it came from and was made into are the owner's and
 * were not shared, so neither is named (the UI says lineage is the owner's).
 */
export async function getImageDetail(db: Db, userId: string, imageId: string): Promise<TImageDetail> {
  const image = await db.image.findFirst({
    where: { AND: [{ id: imageId }, readableImageWhere(userId)] },
    select: {
      id: true, jobId: true, width: true, height: true, seed: true, isDraft: true, likedAt: true, createdAt: true, recipe: true, userId: true,
      user: { select: { name: true } },
      job: { select: { prompt: true, type: true, modelId: true, recipe: true, parentImageId: true, source: true } },
      children: { where: { userId }, select: { id: true, type: true, images: { where: { deletedAt: null }, orderBy: { index: "asc" }, take: 1, select: { id: true } } } },
    },
  });
  if (!image) throw new AppError("NOT_FOUND", "No such image.");
  const shared = image.userId !== userId;

  const ancestors: TImageDetail["lineage"]["ancestors"] = [];
  let childType = image.job.type;
  let parentId = image.job.parentImageId;
  while (!shared && ancestors.length < MAX_DEPTH) {
    const parent = parentId
      ? await db.image.findFirst({ where: { id: parentId, userId }, select: { id: true, deletedAt: true, job: { select: { type: true, parentImageId: true } } } })
      : null;
    if (parent?.deletedAt) {
      // Deleted but not yet purged: shown as removed, and the chain above it stays walkable.
      ancestors.unshift({ id: "removed", type: "removed", thumbUrl: null, removed: true });
      childType = parent.job.type;
      parentId = parent.job.parentImageId;
      continue;
    }
    if (!parent) {
      // Made from an image that has since been deleted: say so rather than pretend the chain began here.
      if (DERIVED_TYPES.has(childType)) ancestors.unshift({ id: "removed", type: "removed", thumbUrl: null, removed: true });
      break;
    }
    ancestors.unshift({ id: parent.id, type: parent.job.type, thumbUrl: `/api/v1/images/${parent.id}/file?size=thumb`, removed: false });
    childType = parent.job.type;
    parentId = parent.job.parentImageId;
  }
  return {
    ...toSharedGalleryImage({ ...image, prompt: image.job.prompt, type: image.job.type, modelId: image.job.modelId }, userId, image.user.name),
    recipe: image.recipe as Record<string, unknown>,
    promptRecipe: image.job.recipe as Record<string, unknown>,
    source: ZJobSource.parse(image.job.source),
    lineage: {
      ancestors,
      children: (shared ? [] : image.children).map((child) => {
        const first = child.images[0];
        return { id: first?.id ?? child.id, type: child.type, thumbUrl: first ? `/api/v1/images/${first.id}/file?size=thumb` : null, removed: !first };
      }),
    },
  };
}

export async function setImageLiked(db: Db, userId: string, imageId: string, liked: boolean): Promise<{ liked: boolean }> {
  const { count } = await db.image.updateMany({ where: { id: imageId, userId, deletedAt: null }, data: { likedAt: liked ? new Date() : null } });
  if (count === 0) throw await notOwnImageError(db, userId, [imageId]);
  return { liked };
}
