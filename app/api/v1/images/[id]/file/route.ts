import { readFile } from "node:fs/promises";
import { z } from "zod";
import { apiRoute, parseParams } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { imagePath } from "@/lib/storage";

const ZFileQuery = z.object({ size: z.enum(["thumb", "full"]).default("full"), download: z.enum(["1"]).optional() });

// GET /api/v1/images/:id/file?size=thumb|full – the image file, to its owner only
export const GET = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const query = parseParams(ZFileQuery, Object.fromEntries(new URL(req.url).searchParams));
  const { db, storageDir } = getWebContext();
  const image = await db.image.findFirst({ where: { id, userId: principal.userId }, select: { storageKey: true, seed: true, jobId: true, index: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such image.");
  const file = await readFile(imagePath(storageDir, image.storageKey, query.size)).catch(() => null);
  if (!file) throw new AppError("NOT_FOUND", "The image file is missing from storage.");
  const extension = query.size === "full" ? "png" : "webp";
  const name = `mirage-${image.jobId.slice(-8)}-${image.index}-${image.seed}.${extension}`;
  return new Response(new Uint8Array(file), {
    headers: {
      "Content-Type": query.size === "full" ? "image/png" : "image/webp",
      "Content-Length": String(file.byteLength),
      // Image files never change once written; they are private to their owner.
      "Cache-Control": "private, max-age=31536000, immutable",
      "Content-Disposition": `${query.download ? "attachment" : "inline"}; filename="${name}"`,
      "Content-Security-Policy": "default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
