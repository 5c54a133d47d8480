import { apiRoute, parseParams } from "@/lib/api/route";
import { ZGalleryQuery } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { listImages } from "@/lib/server/gallery/list-images";

// GET /api/v1/images?q=&type=&ar=&liked=&from=&to=&model=&cursor= – the caller's images, newest first
export const GET = apiRoute("user", async ({ req, principal }) => {
  const query = parseParams(ZGalleryQuery, Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await listImages(getWebContext().db, principal.userId, query));
});
