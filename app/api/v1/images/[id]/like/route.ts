import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { setImageLiked } from "@/lib/server/gallery/image-detail";

export const POST = route(endpoints.likeImage, async ({ principal, params }) => ({
  status: 200,
  body: await setImageLiked(getWebContext().db, principal.userId, params.id, true),
}));

export const DELETE = route(endpoints.unlikeImage, async ({ principal, params }) => ({
  status: 200,
  body: await setImageLiked(getWebContext().db, principal.userId, params.id, false),
}));
