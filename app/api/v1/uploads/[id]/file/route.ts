import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZImageFileQuery } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import { imageFileResponse } from "@/lib/server/image-file-response";
import { getOwnUpload } from "@/lib/server/uploads/uploads";

// GET /api/v1/uploads/:id/file?size=thumb|full – the re-encoded upload, to its owner only
export const GET = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const query = parseParams(ZImageFileQuery, Object.fromEntries(new URL(req.url).searchParams));
  const { db, storage, log } = getWebContext();
  const upload = await getOwnUpload(db, principal.userId, id);
  return imageFileResponse(storage, log, { storageKey: upload.storageKey, variant: query.size, downloadName: `mirage-upload-${upload.id.slice(-8)}`, download: Boolean(query.download) });
});
