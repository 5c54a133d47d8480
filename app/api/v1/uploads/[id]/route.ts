import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteUpload } from "@/lib/server/uploads/uploads";

// Removes the upload and its files (jobs already finished keep their images).
export const DELETE = route(endpoints.deleteUpload, async ({ principal, params }) => {
  const { db, storage, log } = getWebContext();
  await deleteUpload({ db, storage, log }, principal.userId, params.id);
  return { status: 204, body: undefined };
});
