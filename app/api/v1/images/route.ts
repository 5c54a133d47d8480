import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteImages } from "@/lib/server/gallery/delete-images";
import { listImages } from "@/lib/server/gallery/list-images";

export const GET = route(endpoints.listImages, async ({ principal, query }) => ({ status: 200, body: await listImages(getWebContext().db, principal.userId, query) }));

// Restorable for the undo window, then purged.
export const DELETE = route(endpoints.deleteImages, async ({ principal, body }) => ({
  status: 200,
  body: await deleteImages(getWebContext().db, principal.userId, body.imageIds),
}));
