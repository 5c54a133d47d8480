import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { zipEntriesFor, zipStream } from "@/lib/server/gallery/zip-images";

// The full-size PNGs as one zip, streamed.
export const POST = route(endpoints.zipImages, async ({ principal, body }) => {
  const { db, storage } = getWebContext();
  const entries = await zipEntriesFor(db, principal.userId, body.imageIds);
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
