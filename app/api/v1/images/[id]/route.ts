import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { deleteImages } from "@/lib/server/gallery/delete-images";
import { getImageDetail } from "@/lib/server/gallery/image-detail";

// GET /api/v1/images/:id – one image with its exact recipe and lineage
export const GET = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await getImageDetail(getWebContext().db, principal.userId, id));
});

// DELETE /api/v1/images/:id – delete one image; restorable for the undo window, then purged
export const DELETE = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await deleteImages(getWebContext().db, principal.userId, [id]));
});
