import "server-only";
import type { Principal } from "@/lib/server/principal";
import { createUpload, withUploadSlot } from "@/lib/server/uploads/uploads";
import type { ProtocolContext } from "./context";

/**
 * An image a protocol client sends (OpenAI's `image`, A1111's init_images)
 * becomes an upload exactly like one from the imagine bar: the per-user rate
 * limit and slots, the sniffing, decoding under a pixel limit and re-encode,
 * the per-user quota. It shows among the user's recent uploads.
 */
export async function uploadImage(web: ProtocolContext, principal: Principal, bytes: Uint8Array) {
  return withUploadSlot(principal.userId, async () => {
    await web.limitUploads(principal.userId);
    return createUpload({ db: web.db, storage: web.storage, log: web.log }, principal.userId, bytes);
  });
}
