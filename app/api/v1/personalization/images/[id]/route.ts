import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";
import { IMAGE_CONTENT_TYPE, imageFileKey } from "@/lib/storage";

// A ranking-pool image, shared by every signed-in user.
export const GET = route(endpoints.poolImageFile, async ({ params: { id }, query: { size } }) => {
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
