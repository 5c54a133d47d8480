import { AppError } from "@/lib/errors";
import { editImage } from "@/lib/protocols/openai/images";
import { openAiRoute } from "@/lib/protocols/openai/route";
import { ZEditsFields } from "@/lib/protocols/openai/schemas";
import { fileField, readMultipart, textFields } from "@/lib/protocols/multipart";

export const POST = openAiRoute(async ({ req, principal, web }) => {
  const form = await readMultipart(req);
  const fields = ZEditsFields.parse(textFields(form));
  // Newer SDKs send several images as `image[]`; Mirage edits the first.
  const image = (await fileField(form, "image")) ?? (await fileField(form, "image[]"));
  if (!image) throw new AppError("BAD_REQUEST", "`image` is required: the image to edit, as a file field.");
  return editImage(web, principal, { image, mask: await fileField(form, "mask") }, fields, req.signal);
});
