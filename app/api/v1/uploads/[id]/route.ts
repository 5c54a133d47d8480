import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { deleteUpload } from "@/lib/server/uploads/uploads";

// DELETE /api/v1/uploads/:id – removes the upload and its files (jobs already finished keep their images)
export const DELETE = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { db, storage, log } = getWebContext();
  await deleteUpload({ db, storage, log }, principal.userId, id);
  return new Response(null, { status: 204 });
});
