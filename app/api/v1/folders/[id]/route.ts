import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZUpdateFolderRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { deleteFolder, updateFolder } from "@/lib/server/gallery/folders";

// PATCH /api/v1/folders/:id { name?, query? } – rename, or change a smart folder's search
export const PATCH = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const input = await readJson(req, ZUpdateFolderRequest);
  return Response.json(await updateFolder(getWebContext().db, principal.userId, id, input));
});

// DELETE /api/v1/folders/:id – delete the folder (its images stay)
export const DELETE = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  await deleteFolder(getWebContext().db, principal.userId, id);
  return new Response(null, { status: 204 });
});
