import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { imageFileResponse } from "@/lib/server/image-file-response";
import { getOwnUpload } from "@/lib/server/uploads/uploads";

// The re-encoded upload, to its owner only.
export const GET = route(endpoints.uploadFile, async ({ principal, params, query }) => {
  const { db, storage, log } = getWebContext();
  const upload = await getOwnUpload(db, principal.userId, params.id);
  return imageFileResponse(storage, log, { storageKey: upload.storageKey, variant: query.size, downloadName: `mirage-upload-${upload.id.slice(-8)}`, download: Boolean(query.download) });
});
