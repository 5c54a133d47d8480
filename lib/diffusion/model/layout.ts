/**
 * Reads an exported Stable-Diffusion folder: which components exist, their
 * configs, the scheduler config, the VAE scaling factor and (for Mirage's own
 * models) the `mirage.json` manifest. Works for optimum exports and the
 * legacy diffusers ONNX script (UNet weights in `unet/weights.pb`); a
 * component exists iff `<component>/model.onnx` does.
 */
import { access, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import { z } from "zod";

export const COMPONENTS = ["text_encoder", "text_encoder_2", "unet", "vae_encoder", "vae_decoder"] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** SD 1.x/2.x VAE scaling factor, used only when no config states one. */
const DEFAULT_SCALING_FACTOR = 0.18215;

const ZPreset = z.looseObject({
  steps: z.number().int().positive(),
  scheduler: z.string().optional(),
  timestep_spacing: z.enum(["leading", "trailing", "linspace"]).optional(),
  guidance: z.number().nonnegative().optional(),
  /** Guidance when the request has a negative prompt: lets a preset skip CFG yet still honour `--no`. */
  guidance_with_negative: z.number().nonnegative().optional(),
});
export type TManifestPreset = z.infer<typeof ZPreset>;

/** The parts of `mirage.json` the engine uses; the rest is for the app. */
export const ZModelManifest = z.looseObject({
  name: z.string().optional(),
  family: z.string().optional(),
  base_resolution: z.number().int().positive().optional(),
  size_multiple: z.number().int().positive().optional(),
  sizes: z.record(z.string(), z.object({ width: z.number().int().positive(), height: z.number().int().positive() })).optional(),
  presets: z.record(z.string(), ZPreset).optional(),
  negative_prompt: z.string().optional(),
  upscaler: z.string().optional(),
  evaluation: z.string().optional(),
});
export type TModelManifest = z.infer<typeof ZModelManifest>;

export interface ModelLayout {
  dir: string;
  /** Name from the manifest, else the folder name. */
  name: string;
  pipelineClass: string;
  /** model_index.json as written by diffusers (pipeline flags such as force_zeros_for_empty_prompt). */
  modelIndex: Record<string, unknown>;
  componentPaths: Partial<Record<ComponentName, string>>;
  componentConfigs: Partial<Record<ComponentName, Record<string, unknown>>>;
  schedulerConfig: Record<string, unknown>;
  tokenizerDirs: string[];
  vaeScalingFactor: number;
  manifest: TModelManifest | undefined;
  /** Absolute path of the 2× super-resolution graph, when the manifest names one. */
  upscalerPath: string | undefined;
}

export async function readModelLayout(dir: string): Promise<ModelLayout> {
  const root = resolve(dir);
  const modelIndex = await readJson(join(root, "model_index.json"));
  if (!modelIndex) throw new Error(`${root} is not a diffusers export: model_index.json is missing`);

  const componentPaths: ModelLayout["componentPaths"] = {};
  const componentConfigs: ModelLayout["componentConfigs"] = {};
  for (const component of COMPONENTS) {
    const path = join(root, component, "model.onnx");
    if (!(await exists(path))) continue;
    componentPaths[component] = path;
    componentConfigs[component] = (await readJson(join(root, component, "config.json"))) ?? {};
  }
  for (const required of ["text_encoder", "unet", "vae_decoder"] as const) {
    if (!componentPaths[required]) throw new Error(`${root} has no ${required}/model.onnx`);
  }

  const schedulerConfig = await readJson(join(root, "scheduler", "scheduler_config.json"));
  if (!schedulerConfig) throw new Error(`${root} has no scheduler/scheduler_config.json`);

  const manifestJson = await readJson(join(root, "mirage.json"));
  const manifest = manifestJson ? ZModelManifest.parse(manifestJson) : undefined;
  const tokenizerDirs = [join(root, "tokenizer")];
  if (componentPaths.text_encoder_2) tokenizerDirs.push(join(root, "tokenizer_2"));

  return {
    dir: root,
    name: manifest?.name ?? root.split(/[\\/]/).pop() ?? root,
    modelIndex,
    pipelineClass: typeof modelIndex["_class_name"] === "string" ? modelIndex["_class_name"] : "StableDiffusionPipeline",
    componentPaths,
    componentConfigs,
    schedulerConfig,
    tokenizerDirs,
    vaeScalingFactor: scalingFactor(componentConfigs, manifest),
    manifest,
    upscalerPath: manifest?.upscaler ? resolve(root, manifest.upscaler) : undefined,
  };
}

/**
 * `scaling_factor` from the VAE configs (decoder first). Never derived from
 * `block_out_channels` as optimum does: that gives 8 for SD, which is wrong.
 */
function scalingFactor(configs: ModelLayout["componentConfigs"], manifest: TModelManifest | undefined): number {
  for (const config of [configs.vae_decoder, configs.vae_encoder]) {
    const value = config?.["scaling_factor"];
    if (typeof value === "number" && value > 0) return value;
  }
  const fromManifest = (manifest as Record<string, unknown> | undefined)?.["scaling_factor"];
  return typeof fromManifest === "number" && fromManifest > 0 ? fromManifest : DEFAULT_SCALING_FACTOR;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
}
