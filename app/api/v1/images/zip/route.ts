import { apiRoute, readJson } from "@/lib/api/route";
import { ZImageIdsRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { zipEntriesFor, zipStream } from "@/lib/server/gallery/zip-images";

// POST /api/v1/images/zip { imageIds } – the full-size PNGs as one zip, streamed
export const POST = apiRoute("user", async ({ req, principal }) => {
  const { imageIds } = await readJson(req, ZImageIdsRequest);
  const { db, storage } = getWebContext();
  const entries = await zipEntriesFor(db, principal.userId, imageIds);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(zipStream(storage, entries), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="mirage-${entries.length}-images-${stamp}.zip"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
