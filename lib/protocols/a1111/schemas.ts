import { z } from "zod";

/**
 * AUTOMATIC1111 /sdapi/v1 request bodies as Open WebUI, SillyTavern and
 * A1111 scripts send them. Fields Mirage has no use for (restore_faces,
 * enable_hr, s_churn, save_images, override_settings.sd_vae…) are accepted
 * and ignored: those clients always send them, and refusing them would make
 * the API unusable from them. Numbers arrive as numbers or null.
 */

/** Sides A1111 accepts; the output is the model's nearest aspect bucket, so only the ratio matters. */
const side = z.number().int().min(8).max(4096);
const base64Image = z.string().min(1).max(20 * 1024 * 1024, { error: "image is too large" });

const common = {
  prompt: z.string().max(6000, { error: "prompt is too long (6000 characters at most)" }).default(""),
  negative_prompt: z.string().max(2000, { error: "negative_prompt is too long (2000 characters at most)" }).nullish(),
  width: side.nullish(),
  height: side.nullish(),
  steps: z.number().int().min(1).max(200).nullish(),
  cfg_scale: z.number().min(0).max(30).nullish(),
  /** -1 (or absent) = random. */
  seed: z.number().int().min(-1).max(2 ** 32 - 1).nullish(),
  batch_size: z.number().int().min(1).max(8).nullish(),
  n_iter: z.number().int().min(1).max(10).nullish(),
  sampler_name: z.string().max(100).nullish(),
  /** Older clients name the sampler here. */
  sampler_index: z.string().max(100).nullish(),
  scheduler: z.string().max(100).nullish(),
  override_settings: z.looseObject({ sd_model_checkpoint: z.string().max(300).nullish() }).nullish(),
};

export const ZTxt2ImgRequest = z.looseObject(common);
export type TTxt2ImgRequest = z.infer<typeof ZTxt2ImgRequest>;

export const ZImg2ImgRequest = z.looseObject({
  ...common,
  init_images: z.array(base64Image).min(1, { error: "init_images needs one image (base64)" }).max(1, { error: "Mirage uses one init image" }),
  denoising_strength: z.number().min(0).max(1).nullish(),
  /** White = repaint, A1111's convention and the Editor's. */
  mask: base64Image.nullish(),
});
export type TImg2ImgRequest = z.infer<typeof ZImg2ImgRequest>;

/** POST /sdapi/v1/options: clients post back the whole options object; only the checkpoint is used. */
export const ZOptionsUpdate = z.looseObject({ sd_model_checkpoint: z.string().max(300).nullish() });

export interface A1111Result {
  images: string[];
  parameters: Record<string, unknown>;
  info: string;
}
