import { apiRoute, readBinaryBody } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { createUpload, listUploads } from "@/lib/server/uploads/uploads";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

// POST /api/v1/uploads – an image prompt: the raw PNG/JPEG/WebP bytes as the body; 201 with the stored upload
export const POST = apiRoute("user", async ({ req, principal }) => {
  const { db, storage, log, limitUploads } = getWebContext();
  await limitUploads(principal.userId);
  const bytes = await readBinaryBody(req, {
    maxBytes: UPLOAD_LIMITS.maxBytes,
    accept: /^image\//i,
    hint: "Send the image's bytes as the body with its type, e.g. `Content-Type: image/png` (PNG, JPEG or WebP).",
  });
  return Response.json(await createUpload({ db, storage, log }, principal.userId, bytes), { status: 201 });
});

// GET /api/v1/uploads – the caller's recent uploads, newest first
export const GET = apiRoute("user", async ({ principal }) => {
  return Response.json({ uploads: await listUploads(getWebContext().db, principal.userId) });
});
