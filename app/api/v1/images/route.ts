import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZGalleryQuery, ZImageIdsRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { deleteImages } from "@/lib/server/gallery/delete-images";
import { listImages } from "@/lib/server/gallery/list-images";

// GET /api/v1/images?q=&type=&ar=&liked=&from=&to=&model=&personalized=&folder=&cursor= – the caller's images, newest first
export const GET = apiRoute("user", async ({ req, principal }) => {
  const query = parseParams(ZGalleryQuery, Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await listImages(getWebContext().db, principal.userId, query));
});

// DELETE /api/v1/images { imageIds } – delete many; restorable for the undo window, then purged
export const DELETE = apiRoute("user", async ({ req, principal }) => {
  const { imageIds } = await readJson(req, ZImageIdsRequest);
  return Response.json(await deleteImages(getWebContext().db, principal.userId, imageIds));
});
