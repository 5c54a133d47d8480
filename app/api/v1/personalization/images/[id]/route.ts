import { apiRoute, parseParams } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { ZIdParam } from "@/lib/schemas/account";
import { ZPoolImageQuery } from "@/lib/schemas/personalization";
import { getWebContext } from "@/lib/server/context";
import { IMAGE_CONTENT_TYPE, imageFileKey } from "@/lib/storage";

// GET /api/v1/personalization/images/:id?size=full|thumb – a ranking-pool image (shared by every signed-in user)
export const GET = apiRoute<{ id: string }>("user", async ({ req, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { size } = parseParams(ZPoolImageQuery, Object.fromEntries(new URL(req.url).searchParams));
  const { db, storage } = getWebContext();
  const image = await db.poolImage.findUnique({ where: { id }, select: { storageKey: true } });
  if (!image) throw new AppError("NOT_FOUND", "No such ranking image.");
  const object = await storage.get(imageFileKey(image.storageKey, size));
  if (!object) throw new AppError("NOT_FOUND", "The ranking image file is missing from storage; an admin can render the pool again.");
  return new Response(object.body, {
    headers: {
      "Content-Type": IMAGE_CONTENT_TYPE[size],
      ...(object.size !== undefined && { "Content-Length": String(object.size) }),
      // A pool image can be re-rendered in place (same id) when the model changes.
      "Cache-Control": "private, max-age=3600",
      "Content-Security-Policy": "default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
