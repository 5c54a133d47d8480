import { z } from "zod";
import { apiRoute, parseParams } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { IMAGE_CONTENT_TYPE, imageFileKey } from "@/lib/storage";

const ZFileQuery = z.object({ size: z.enum(["thumb", "full"]).default("full"), download: z.enum(["1"]).optional() });

// GET /api/v1/images/:id/file?size=thumb|full – the image file, to its owner only, streamed from storage (local or S3)
export const GET = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const query = parseParams(ZFileQuery, Object.fromEntries(new URL(req.url).searchParams));
  const { db, storage, log } = getWebContext();
  const image = await db.image.findFirst({ where: { id, userId: principal.userId, deletedAt: null }, select: { storageKey: true, seed: true, jobId: true, index: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such image.");
  const key = imageFileKey(image.storageKey, query.size);
  const file = await storage.get(key).catch((error: unknown) => {
    // An unreachable store is a server problem; say so without details.
    log.error({ err: error, key, driver: storage.driver }, "image storage read failed");
    throw new AppError("UNAVAILABLE", "Image storage is unreachable; try again shortly.");
  });
  if (!file) throw new AppError("NOT_FOUND", "The image file is missing from storage.");
  const extension = query.size === "full" ? "png" : "webp";
  const name = `mirage-${image.jobId.slice(-8)}-${image.index}-${image.seed}.${extension}`;
  return new Response(file.body, {
    headers: {
      "Content-Type": IMAGE_CONTENT_TYPE[query.size],
      ...(file.size === undefined ? {} : { "Content-Length": String(file.size) }),
      // Image files never change once written; they are private to their owner.
      "Cache-Control": "private, max-age=31536000, immutable",
      "Content-Disposition": `${query.download ? "attachment" : "inline"}; filename="${name}"`,
      "Content-Security-Policy": "default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
