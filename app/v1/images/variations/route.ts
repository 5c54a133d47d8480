import { AppError } from "@/lib/errors";
import { varyImage } from "@/lib/protocols/openai/images";
import { openAiRoute } from "@/lib/protocols/openai/route";
import { ZVariationsFields } from "@/lib/protocols/openai/schemas";
import { fileField, readMultipart, textFields } from "@/lib/protocols/multipart";

export const POST = openAiRoute(async ({ req, principal, web }) => {
  const form = await readMultipart(req);
  const fields = ZVariationsFields.parse(textFields(form));
  const image = await fileField(form, "image");
  if (!image) throw new AppError("BAD_REQUEST", "`image` is required: the image to vary, as a file field.");
  return varyImage(web, principal, image, fields, req.signal);
});
