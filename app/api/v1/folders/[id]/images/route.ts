import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZImageIdsRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { addToFolder, removeFromFolder } from "@/lib/server/gallery/folders";

// POST /api/v1/folders/:id/images { imageIds } – add images (they may be in other folders too)
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { imageIds } = await readJson(req, ZImageIdsRequest);
  return Response.json(await addToFolder(getWebContext().db, principal.userId, id, imageIds));
});

// DELETE /api/v1/folders/:id/images { imageIds } – take images out of the folder
export const DELETE = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { imageIds } = await readJson(req, ZImageIdsRequest);
  return Response.json(await removeFromFolder(getWebContext().db, principal.userId, id, imageIds));
});
