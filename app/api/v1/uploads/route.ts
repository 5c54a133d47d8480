import { endpoints } from "@/lib/api/endpoints";
import { readBinaryBody } from "@/lib/api/route";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createUpload, listUploads, withUploadSlot } from "@/lib/server/uploads/uploads";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

// The raw PNG/JPEG/WebP bytes are the body; the contract documents them and the handler reads them under the byte cap.
export const POST = route(endpoints.createUpload, async ({ req, principal }) => {
  const { db, storage, log, limitUploads } = getWebContext();
  await limitUploads(principal.userId);
  const upload = await withUploadSlot(principal.userId, async () => {
    const bytes = await readBinaryBody(req, {
      maxBytes: UPLOAD_LIMITS.maxBytes,
      accept: /^image\//i,
      hint: "Send the image's bytes as the body with its type, e.g. `Content-Type: image/png` (PNG, JPEG or WebP).",
    });
    return createUpload({ db, storage, log }, principal.userId, bytes);
  });
  return { status: 201, body: upload };
});

export const GET = route(endpoints.listUploads, async ({ principal }) => ({ status: 200, body: { uploads: await listUploads(getWebContext().db, principal.userId) } }));
