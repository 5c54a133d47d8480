import { readJson } from "@/lib/api/route";
import { callerModelId, setCallerModel } from "@/lib/protocols/a1111/models";
import { a1111Route } from "@/lib/protocols/a1111/route";
import { ZOptionsUpdate } from "@/lib/protocols/a1111/schemas";

// The caller's options: only the checkpoint means something in Mirage (their default model for these APIs).
export const GET = a1111Route(async ({ principal, web }) => ({
  sd_model_checkpoint: await callerModelId(web, principal.userId),
  sd_checkpoint_hash: null,
  samples_format: "png",
  CLIP_stop_at_last_layers: 1,
}));

// Clients post the whole options object back; the other keys are ignored.
export const POST = a1111Route(async ({ req, principal, web }) => {
  const body = await readJson(req, ZOptionsUpdate);
  if (body.sd_model_checkpoint) await setCallerModel(web, principal.userId, body.sd_model_checkpoint);
  return null;
});
