/**
 * Text-to-image and image-to-image for a batch of seeds: the glue between
 * prompts, noise, the denoising loop and the VAE (docs/onnx-pipeline.md §5, §8).
 */
import type { Tensor } from "onnxruntime-node";

import { VAE_SCALE_FACTOR, type DiffusionModel } from "../model/diffusion-model";
import { TorchGenerator } from "../random";
import type { Scheduler } from "../schedulers";
import { floatTensor, scaleTensor } from "../tensor";
import { denoise } from "./denoise";
import { compositeMasked, maskedStart, type MaskedRegion, type MaskedStart } from "./masked";
import { assertRgb, rgbToVaePixels, vaePixelsToRgb } from "./pixels";
import { cropBorder, padCircular, stopAfterSteps, weightedConditioning, type PromptPart } from "./prompt-effects";
import { createSamplerScheduler, usesClassifierFreeGuidance } from "./sampler";
import { isNeutralSteering, steerConditioning, type SteeringAxis } from "./steering";
import type { GeneratedImage, GenerationMode, GenerationStage, RgbImage, SamplerSettings } from "./types";

export interface DiffuseParams {
  prompt: string;
  negativePrompt: string;
  sampler: SamplerSettings;
  seeds: number[];
  width: number;
  height: number;
  /** Start from this image (already `width`×`height`) instead of pure noise. */
  init?: { image: RgbImage; strength: number };
  mode?: GenerationMode;
  /** Personalization steering of the conditional text embedding. */
  steering?: SteeringAxis[];
  /** Repaint only this region of this image (already `width`×`height`); see ./masked.ts. */
  region?: MaskedRegion;
  /** Multi-prompt: the conditional embedding is these parts' weighted mean instead of `prompt`'s. */
  promptParts?: PromptPart[];
  /** `--stop`: percentage of the steps to run before decoding the partial result. */
  stop?: number;
  /** `--tile`: the image wraps at its edges (circular padding of the UNet's and the decoder's input). */
  tile?: boolean;
}

/**
 * Latent pixels of wrap-around context for `--tile`: a quarter of the short
 * side, rounded up to half the model's latent size multiple so the padded
 * latents still fit the UNet's downsampling.
 */
function tilePadding(model: DiffusionModel, width: number, height: number): number {
  const latentMultiple = Math.max(1, (model.layout.manifest?.size_multiple ?? 64) / VAE_SCALE_FACTOR);
  const unit = Math.max(1, latentMultiple / 2);
  return Math.ceil(Math.min(width, height) / VAE_SCALE_FACTOR / 4 / unit) * unit;
}

export interface DiffuseHooks {
  onStage?: (stage: GenerationStage) => void;
  /** Each image's x₀ estimate after the step (see denoise.ts). */
  onStep?: (denoised: readonly Tensor[]) => void;
  signal?: AbortSignal;
}

/** Denoising steps `diffuse` will run for these settings (for progress totals). */
export function plannedSteps(sampler: SamplerSettings, strength?: number): number {
  if (strength === undefined) return sampler.steps;
  if (sampler.scheduler === "LCMScheduler") return sampler.steps;
  return Math.min(Math.floor(sampler.steps * strength), sampler.steps);
}

/**
 * img2img needs at least one step: a few-step sampler at low strength
 * (4 × 0.2) would otherwise do nothing, so steps grow until n·s ≥ 1.
 */
export function withAtLeastOneStep(sampler: SamplerSettings, strength: number): SamplerSettings {
  if (!(strength > 0 && strength <= 1)) throw new RangeError(`strength must be in (0, 1], got ${strength}`);
  const steps = Math.max(sampler.steps, Math.ceil(1 / strength - 1e-9));
  return steps === sampler.steps ? sampler : { ...sampler, steps };
}

export async function diffuse(model: DiffusionModel, params: DiffuseParams, hooks: DiffuseHooks = {}): Promise<GeneratedImage[]> {
  const { width, height, sampler, seeds } = params;
  if (width % VAE_SCALE_FACTOR || height % VAE_SCALE_FACTOR) {
    throw new RangeError(`width and height must be multiples of ${VAE_SCALE_FACTOR}, got ${width}×${height}`);
  }
  const classifierFree = usesClassifierFreeGuidance(sampler, model.takesGuidanceEmbedding);

  hooks.onStage?.("encode-text");
  const encoded = await model.encodeText(params.prompt, params.negativePrompt, classifierFree);
  const weighted = params.promptParts ? await weightedConditioning(model, encoded, params.promptParts) : encoded;
  const text = await steerConditioning(model, weighted, params.steering);
  const steered = !isNeutralSteering(params.steering);

  const schedulers = seeds.map(() => createSamplerScheduler(model.layout.schedulerConfig, sampler));
  const generators = seeds.map((seed) => new TorchGenerator(seed));
  let timesteps: number[];
  let latents: Tensor[];
  let masked: MaskedStart | undefined;
  if (params.region) {
    hooks.onStage?.("encode-image");
    masked = await maskedStart(model, schedulers, generators, sampler, params.region);
    ({ timesteps, latents } = masked);
  } else if (params.init) {
    hooks.onStage?.("encode-image");
    ({ timesteps, latents } = await noisedImageLatents(model, schedulers, generators, sampler, params.init));
  } else {
    for (const s of schedulers) s.setTimesteps(sampler.steps);
    timesteps = schedulers[0]!.timesteps;
    const dims = [1, model.latentChannels, height / VAE_SCALE_FACTOR, width / VAE_SCALE_FACTOR];
    latents = generators.map((g, i) => scaleTensor(floatTensor(g.randn(dims), dims), schedulers[i]!.initNoiseSigma));
  }

  hooks.onStage?.("denoise");
  const pad = params.tile ? tilePadding(model, width, height) : 0;
  const result = await denoise({
    model,
    schedulers,
    generators,
    latents,
    timesteps,
    text,
    guidance: sampler.guidance,
    classifierFree,
    ...(masked?.constrain && { constrain: masked.constrain }),
    ...(masked?.extraChannels && { extraChannels: masked.extraChannels }),
    ...(hooks.onStep && { onStep: hooks.onStep }),
    ...(hooks.signal && { signal: hooks.signal }),
    ...(params.stop !== undefined && params.stop < 100 && { stopAfter: stopAfterSteps(timesteps.length, params.stop) }),
    ...(pad > 0 && { tilePadding: pad }),
  });

  hooks.signal?.throwIfAborted();
  hooks.onStage?.("decode");
  const images: GeneratedImage[] = [];
  for (const [i, latent] of result.latents.entries()) {
    // A tile decodes with wrapped context too, so the decoder draws no edge.
    const [pixels] = pad > 0 ? (await model.decodeLatents(padCircular(latent, pad))).map((padded) => cropBorder(padded, pad * VAE_SCALE_FACTOR)) : await model.decodeLatents(latent);
    const decoded = vaePixelsToRgb(pixels!);
    images.push({
      image: params.region ? compositeMasked(params.region, decoded) : decoded,
      recipe: {
        model: model.name,
        mode: params.mode ?? (params.init ? "img2img" : "txt2img"),
        prompt: params.prompt,
        negativePrompt: params.negativePrompt,
        ...sampler,
        seed: seeds[i]!,
        width,
        height,
        ...(params.init && { strength: params.init.strength }),
        ...(params.promptParts && { promptParts: params.promptParts.map((part) => ({ ...part })) }),
        ...(params.stop !== undefined && params.stop < 100 && { stop: params.stop }),
        ...(params.tile && { tile: true }),
        ...(steered && params.steering && { steering: params.steering.map((axis) => ({ ...axis })) }),
      },
    });
  }
  return images;
}

/**
 * diffusers' img2img start: the schedule's tail from `t_start = n − ⌊n·s⌋`
 * (LCM instead cuts its origin schedule by strength), and the encoded image
 * forward-diffused to the first remaining timestep with the seed's generator
 * (VAE sampling first, then the noise, as `prepare_latents` draws them).
 */
async function noisedImageLatents(
  model: DiffusionModel,
  schedulers: Scheduler[],
  generators: TorchGenerator[],
  sampler: SamplerSettings,
  init: { image: RgbImage; strength: number },
): Promise<{ timesteps: number[]; latents: Tensor[] }> {
  assertRgb(init.image);
  const isLcm = sampler.scheduler === "LCMScheduler";
  const initSteps = plannedSteps(sampler, init.strength);
  if (initSteps < 1) throw new RangeError(`${sampler.steps} steps at strength ${init.strength} run no step; use withAtLeastOneStep`);
  const begin = isLcm ? 0 : sampler.steps - initSteps;
  for (const s of schedulers) {
    s.setTimesteps(sampler.steps, { strength: init.strength });
    s.setBeginIndex(begin * s.order);
  }
  const timesteps = schedulers[0]!.timesteps.slice(begin * schedulers[0]!.order);
  const clean = await model.encodePixels(rgbToVaePixels(init.image), generators);
  const latents = clean.map((latent, i) => {
    const noise = floatTensor(generators[i]!.randn(latent.dims), latent.dims);
    return schedulers[i]!.addNoise(latent, noise, [timesteps[0]!]);
  });
  return { timesteps, latents };
}
