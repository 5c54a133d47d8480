/**
 * Loaded models, one per model folder and execution provider, created once
 * and shared by every job. A failed load is evicted and retried once: a
 * half-written or corrupt file should not poison the cache for the process.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { DiffusionModel, type LoadModelOptions } from "./model/diffusion-model";
import type { LoadedModel } from "./pipelines/generate";
import { SuperResolutionModel } from "./pipelines/super-resolution";

export interface LoadOptions extends LoadModelOptions {
  /** Super-resolution graph to use instead of the one the model's manifest names. */
  upscalerPath?: string;
}

const cache = new Map<string, Promise<LoadedModel>>();

export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const key = `${resolve(dir)}|${options.provider ?? "cpu"}:${options.deviceId ?? 0}|${options.upscalerPath ?? ""}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const attempt = (retry: boolean): Promise<LoadedModel> =>
    createLoadedModel(dir, options).catch((error: unknown) => {
      cache.delete(key);
      if (!retry) throw error;
      const again = attempt(false);
      cache.set(key, again);
      return again;
    });
  const pending = attempt(true);
  cache.set(key, pending);
  return pending;
}

/** Releases every cached session (worker shutdown). */
export async function disposeModels(): Promise<void> {
  const models = [...cache.values()];
  cache.clear();
  const settled = await Promise.allSettled(models);
  await Promise.all(
    settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.diffusion.dispose(), s.value.upscaler?.dispose()] : [])),
  );
}

async function createLoadedModel(dir: string, options: LoadOptions): Promise<LoadedModel> {
  const diffusion = await DiffusionModel.load(dir, options);
  let upscalerPath = options.upscalerPath ?? diffusion.layout.upscalerPath;
  // A manifest pointing at an upscaler that is not installed costs the upscale jobs, not the whole model.
  if (upscalerPath && !options.upscalerPath && !existsSync(upscalerPath)) {
    options.onWarning?.(`${diffusion.name}: upscaler ${upscalerPath} is missing; upscale jobs will fail`);
    upscalerPath = undefined;
  }
  try {
    // Same provider as the UNet ended up on, so a CUDA fallback is reported once.
    const upscaler = upscalerPath ? await SuperResolutionModel.load(upscalerPath, { ...options, provider: diffusion.provider }) : undefined;
    return { diffusion, upscaler };
  } catch (error) {
    await diffusion.dispose();
    throw error;
  }
}
