import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteFolder, updateFolder } from "@/lib/server/gallery/folders";

export const PATCH = route(endpoints.updateFolder, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateFolder(getWebContext().db, principal.userId, params.id, body),
}));

// The folder's images stay.
export const DELETE = route(endpoints.deleteFolder, async ({ principal, params }) => {
  await deleteFolder(getWebContext().db, principal.userId, params.id);
  return { status: 204, body: undefined };
});
