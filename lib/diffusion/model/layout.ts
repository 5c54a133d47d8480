/**
 * Reads an exported Stable-Diffusion folder: which components exist, their
 * configs, the scheduler config, the VAE scaling factor and (for Mirage's own
 * models) the `mirage.json` manifest, read through lib/models/manifest.ts. Works for optimum exports and the
 * legacy diffusers ONNX script (UNet weights in `unet/weights.pb`); a
 * component exists iff `<component>/model.onnx` does.
 */
import { access, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import { readModelManifest, type TManifestRead, type TModelManifest } from "../../models/manifest";
import { validateSchedulerConfig } from "../schedulers/config";

export const COMPONENTS = ["text_encoder", "text_encoder_2", "unet", "vae_encoder", "vae_decoder"] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** SD 1.x/2.x VAE scaling factor, used only when no config states one. */
const DEFAULT_SCALING_FACTOR = 0.18215;

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
  /** Manifest sections that failed validation (left out of `manifest`); the features that read them decide what to do. */
  manifestProblems: TManifestRead["problems"];
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
  try {
    validateSchedulerConfig(schedulerConfig);
  } catch (error) {
    throw new RangeError(`${root}/scheduler/scheduler_config.json: ${(error as Error).message}`);
  }

  const manifestRead = await readModelManifest(root);
  const manifest = manifestRead?.manifest;
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
    manifestProblems: manifestRead?.problems ?? {},
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
  return manifest?.scaling_factor ?? DEFAULT_SCALING_FACTOR;
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
