import { apiRoute, readJson } from "@/lib/api/route";
import { ZImageIdsRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { restoreImages } from "@/lib/server/gallery/delete-images";

// POST /api/v1/images/restore { imageIds } – undo a delete within the undo window (409 after it)
export const POST = apiRoute("user", async ({ req, principal }) => {
  const { imageIds } = await readJson(req, ZImageIdsRequest);
  return Response.json(await restoreImages(getWebContext().db, principal.userId, imageIds));
});
