import { apiRoute, parseParams } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { ZIdParam } from "@/lib/schemas/account";
import { ZImageFileQuery } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import { imageFileResponse } from "@/lib/server/image-file-response";

// GET /api/v1/images/:id/file?size=thumb|full – the image file, to its owner only, streamed from storage (local or S3)
export const GET = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const query = parseParams(ZImageFileQuery, Object.fromEntries(new URL(req.url).searchParams));
  const { db, storage, log } = getWebContext();
  const image = await db.image.findFirst({ where: { id, userId: principal.userId, deletedAt: null }, select: { storageKey: true, seed: true, jobId: true, index: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such image.");
  return imageFileResponse(storage, log, {
    storageKey: image.storageKey,
    variant: query.size,
    downloadName: `mirage-${image.jobId.slice(-8)}-${image.index}-${image.seed}`,
    download: Boolean(query.download),
  });
});
