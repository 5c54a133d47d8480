import { readCappedBytes } from "@/lib/api/body";
import { AppError } from "@/lib/errors";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

/** An image and a mask plus a few text fields: two upload-sized files and some slack. */
const MAX_MULTIPART_BYTES = UPLOAD_LIMITS.maxBytes * 2 + 64 * 1024;

/**
 * Reads a multipart/form-data body with a byte cap that holds before it is
 * parsed (Request.formData alone would buffer any size), then parses it.
 */
export async function readMultipart(req: Request): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as multipart/form-data with the image as a file field.");
  }
  const bytes = await readCappedBytes(req, { maxBytes: MAX_MULTIPART_BYTES, what: "request" });
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("BAD_REQUEST", "The multipart body could not be read.");
  }
}

/** A file field's bytes, or null when absent. */
export async function fileField(form: FormData, name: string): Promise<Uint8Array | null> {
  const value = form.get(name);
  if (value === null) return null;
  if (typeof value === "string") throw new AppError("BAD_REQUEST", `\`${name}\` must be a file, not text.`);
  return new Uint8Array(await value.arrayBuffer());
}

/** The text fields, for a zod schema to read. */
export function textFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
  return fields;
}
