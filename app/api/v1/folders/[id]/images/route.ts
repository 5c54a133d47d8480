import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { addToFolder, removeFromFolder } from "@/lib/server/gallery/folders";

// Images may be in several folders at once.
export const POST = route(endpoints.addToFolder, async ({ principal, params, body }) => ({
  status: 200,
  body: await addToFolder(getWebContext().db, principal.userId, params.id, body.imageIds),
}));

export const DELETE = route(endpoints.removeFromFolder, async ({ principal, params, body }) => ({
  status: 200,
  body: await removeFromFolder(getWebContext().db, principal.userId, params.id, body.imageIds),
}));
