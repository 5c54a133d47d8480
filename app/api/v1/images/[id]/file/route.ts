import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";
import { readableImageWhere } from "@/lib/server/gallery/image-access";
import { imageFileResponse } from "@/lib/server/image-file-response";

// To its owner, or a teammate who sees it in a team folder (docs/teams.md); streamed from storage (local or S3).
export const GET = route(endpoints.imageFile, async ({ principal, params: { id }, query }) => {
  const { db, storage, log } = getWebContext();
  const image = await db.image.findFirst({ where: { AND: [{ id }, readableImageWhere(principal.userId)] }, select: { storageKey: true, seed: true, jobId: true, index: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such image.");
  return imageFileResponse(storage, log, {
    storageKey: image.storageKey,
    variant: query.size,
    downloadName: `mirage-${image.jobId.slice(-8)}-${image.index}-${image.seed}`,
    download: Boolean(query.download),
  });
});
