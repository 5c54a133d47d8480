import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteImages } from "@/lib/server/gallery/delete-images";
import { getImageDetail } from "@/lib/server/gallery/image-detail";

export const GET = route(endpoints.getImage, async ({ principal, params }) => ({ status: 200, body: await getImageDetail(getWebContext().db, principal.userId, params.id) }));

// Restorable for the undo window, then purged.
export const DELETE = route(endpoints.deleteImage, async ({ principal, params }) => ({
  status: 200,
  body: await deleteImages(getWebContext().db, principal.userId, [params.id]),
}));
