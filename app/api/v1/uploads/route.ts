import { apiRoute, readBinaryBody } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { createUpload, listUploads, withUploadSlot } from "@/lib/server/uploads/uploads";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

// POST /api/v1/uploads – an image prompt: the raw PNG/JPEG/WebP bytes as the body; 201 with the stored upload
export const POST = apiRoute("user", async ({ req, principal }) => {
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
  return Response.json(upload, { status: 201 });
});

// GET /api/v1/uploads – all the caller's uploads (at most 200), newest first
export const GET = apiRoute("user", async ({ principal }) => {
  return Response.json({ uploads: await listUploads(getWebContext().db, principal.userId) });
});
