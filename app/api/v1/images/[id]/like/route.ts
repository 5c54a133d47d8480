import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { setImageLiked } from "@/lib/server/gallery/image-detail";

// POST /api/v1/images/:id/like – like one of your images
export const POST = apiRoute<{ id: string }>("user", async ({ principal, params }) =>
  Response.json(await setImageLiked(getWebContext().db, principal.userId, parseParams(ZIdParam, params).id, true)),
);

// DELETE /api/v1/images/:id/like – unlike it
export const DELETE = apiRoute<{ id: string }>("user", async ({ principal, params }) =>
  Response.json(await setImageLiked(getWebContext().db, principal.userId, parseParams(ZIdParam, params).id, false)),
);
