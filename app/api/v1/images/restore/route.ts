import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { restoreImages } from "@/lib/server/gallery/delete-images";

// 409 once the undo window has passed.
export const POST = route(endpoints.restoreImages, async ({ principal, body }) => ({
  status: 200,
  body: await restoreImages(getWebContext().db, principal.userId, body.imageIds),
}));
