/**
 * One Mirage job (imagine, vary, upscale, inpaint, outpaint) → images with their exact recipes.
 * This is the function a worker calls; it maps product vocabulary (draft/full,
 * Vary Subtle/Strong, Upscale Subtle/Creative) onto the diffusion pipelines.
 */
import type { Tensor } from "onnxruntime-node";

import type { DiffusionModel } from "../model/diffusion-model";
import { TimingCollector } from "../timings";
import { diffuse, plannedSteps, withAtLeastOneStep, type DiffuseParams } from "./diffuse";
import { inpaint, outpaint } from "./edit";
import { resizeRgb, snapSize } from "./pixels";
import { presetFor } from "./presets";
import { expSampler, expSteering, qualitySteps, weirdSteering } from "./prompt-effects";
import { ZGenerationRequest, type TGenerationRequest, type TGenerationRequestInput } from "./request";
import type { SuperResolutionModel } from "./super-resolution";
import type { GeneratedImage, GenerationStage, RunHooks, SamplerSettings, StageTimings } from "./types";

export const VARY_STRENGTH = { subtle: 0.5, strong: 0.85 } as const;

/**
 * `--iw` → img2img strength, linear so each step of --iw is felt: 0 leaves a
 * hint of the image (0.9), 1 (the default) keeps its layout and colours
 * loosely (0.7), 3 keeps them closely (0.3).
 */
export function imagePromptStrength(weight: number): number {
  return Math.min(0.9, Math.max(0.3, 0.9 - 0.2 * weight));
}

export interface LoadedModel {
  diffusion: DiffusionModel;
  /** The model's 2× super-resolution graph, when it ships one. */
  upscaler: SuperResolutionModel | undefined;
}

export interface GenerationResult {
  images: GeneratedImage[];
  timings: StageTimings;
}

export async function generate(model: LoadedModel, input: TGenerationRequestInput, hooks: RunHooks = {}): Promise<GenerationResult> {
  const request = ZGenerationRequest.parse(input);
  const timings = new TimingCollector();
  model.diffusion.setRunListener(timings.record);
  model.upscaler?.setRunListener(timings.record);
  try {
    const images = await run(model, request, hooks);
    return { images, timings: timings.finish() };
  } finally {
    model.diffusion.setRunListener(undefined);
    model.upscaler?.setRunListener(undefined);
  }
}

async function run(model: LoadedModel, request: TGenerationRequest, hooks: RunHooks): Promise<GeneratedImage[]> {
  const diffusion = model.diffusion;
  const negativePrompt = request.negativePrompt || (diffusion.layout.manifest?.negative_prompt ?? "");
  const sampler = samplerFor(model, request, negativePrompt !== "");
  const base = {
    prompt: request.prompt,
    negativePrompt,
    ...(request.steering && { steering: request.steering }),
  };
  switch (request.kind) {
    case "imagine": {
      const seeds = seedRange(request.seed, request.count);
      const { sampler: imagineSampler, base: effects } = promptEffects(model, request, sampler);
      const imagine = { ...base, ...effects };
      if (request.imagePrompt) {
        const strength = imagePromptStrength(request.imagePrompt.weight);
        const prompted = withAtLeastOneStep(imagineSampler, strength);
        const image = await resizeRgb(request.imagePrompt.image, request.width, request.height);
        const progress = new ProgressReporter(hooks, plannedSteps(prompted, strength));
        return diffuse(
          diffusion,
          { ...imagine, sampler: prompted, seeds, width: request.width, height: request.height, init: { image, strength }, mode: "image-prompt" },
          progress.diffuseHooks(),
        );
      }
      const progress = new ProgressReporter(hooks, imagineSampler.steps);
      return diffuse(diffusion, { ...imagine, sampler: imagineSampler, seeds, width: request.width, height: request.height }, progress.diffuseHooks());
    }
    case "vary": {
      const strength = VARY_STRENGTH[request.strength];
      const varied = withAtLeastOneStep(sampler, strength);
      const size = snapSize(request.image.width, request.image.height, 8);
      const image = await resizeRgb(request.image, size.width, size.height);
      const progress = new ProgressReporter(hooks, plannedSteps(varied, strength));
      return diffuse(
        diffusion,
        { ...base, sampler: varied, seeds: seedRange(request.seed, request.count), ...size, init: { image, strength } },
        progress.diffuseHooks(),
      );
    }
    case "upscale": {
      const upscaler = model.upscaler;
      if (!upscaler) throw new Error(`${diffusion.name} has no super-resolution model to upscale with`);
      const creative = request.mode === "creative" ? withAtLeastOneStep(sampler, request.creativeStrength) : undefined;
      const tiles = upscaler.tileCount(request.image.width, request.image.height);
      const progress = new ProgressReporter(hooks, tiles + (creative ? plannedSteps(creative, request.creativeStrength) : 0));
      progress.stage("upscale");
      const upscaled = await upscaler.upscale(request.image, {
        onTile: () => progress.advance(),
        ...(hooks.signal && { signal: hooks.signal }),
      });
      if (!creative) {
        return [
          {
            image: upscaled,
            recipe: {
              model: diffusion.name,
              mode: "upscale-subtle",
              prompt: base.prompt,
              negativePrompt: base.negativePrompt,
              ...sampler,
              steps: 0,
              seed: request.seed,
              width: upscaled.width,
              height: upscaled.height,
              upscaleFactor: upscaler.scale,
            },
          },
        ];
      }
      const size = snapSize(upscaled.width, upscaled.height, 8);
      const image = await resizeRgb(upscaled, size.width, size.height);
      const images = await diffuse(
        diffusion,
        {
          ...base,
          sampler: creative,
          seeds: [request.seed],
          ...size,
          init: { image, strength: request.creativeStrength },
          mode: "upscale-creative",
        },
        progress.diffuseHooks(),
      );
      return images.map((img) => ({ ...img, recipe: { ...img.recipe, upscaleFactor: upscaler.scale } }));
    }
    case "inpaint":
    case "outpaint": {
      const progress = new ProgressReporter(hooks, sampler.steps);
      const edit = {
        ...base,
        sampler,
        seeds: seedRange(request.seed, request.count),
        ...(request.featherRadius !== undefined && { featherRadius: request.featherRadius }),
      };
      return request.kind === "inpaint"
        ? inpaint(diffusion, edit, request.image, request.mask, progress.diffuseHooks())
        : outpaint(diffusion, edit, request.image, request.move, progress.diffuseHooks());
    }
    default:
      return request satisfies never;
  }
}

type TImagineRequest = Extract<TGenerationRequest, { kind: "imagine" }>;

/**
 * The prompt language's rendering parameters (--q, --stop, --tile, --weird,
 * --exp, multi-prompts) as a sampler and diffuse parameters. A request that
 * uses none gets `sampler` itself and no parameters, so it runs exactly as before.
 */
function promptEffects(model: LoadedModel, request: TImagineRequest, sampler: SamplerSettings): { sampler: SamplerSettings; base: Pick<DiffuseParams, "steering" | "promptParts" | "stop" | "tile"> } {
  const { promptParts, stepScale, stop, tile, weird, exp } = request;
  // An explicit step count (the API's `steps`) wins over --q.
  const steps = stepScale && request.sampler?.steps === undefined ? qualitySteps(sampler.steps, stepScale) : sampler.steps;
  const weirdAxes = weird ? weirdSteering(model.diffusion.layout.manifest?.style_axes, request.seed, weird) : [];
  const axes = model.diffusion.layout.manifest?.style_axes;
  const steering = [...(request.steering ?? []), ...weirdAxes, ...expSteering(axes, exp ?? 0)];
  return {
    sampler: expSampler(steps === sampler.steps ? sampler : { ...sampler, steps }, exp ?? 0),
    base: {
      ...(steering.length > 0 && { steering }),
      ...(promptParts && { promptParts }),
      ...(stop !== undefined && { stop }),
      ...(tile && { tile }),
    },
  };
}

function samplerFor(model: LoadedModel, request: TGenerationRequest, hasNegativePrompt: boolean): SamplerSettings {
  const { layout, takesGuidanceEmbedding } = model.diffusion;
  const preset = presetFor({ layout, takesGuidanceEmbedding, hasNegativePrompt }, request.quality);
  const overrides = Object.fromEntries(Object.entries(request.sampler ?? {}).filter(([, v]) => v !== undefined));
  return { ...preset, ...overrides };
}

/** seed, seed+1, … wrapping at 2³² like torch's 32-bit MT seed. */
export function seedRange(seed: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => (seed + k) % 2 ** 32);
}

/** Turns per-step and per-tile callbacks into whole-job progress. */
class ProgressReporter {
  private completed = 0;
  private current: GenerationStage = "encode-text";

  constructor(
    private readonly runHooks: RunHooks,
    private readonly total: number,
  ) {}

  stage(stage: GenerationStage): void {
    this.current = stage;
    this.emit();
  }

  advance(): void {
    this.completed++;
    this.emit();
  }

  /** Hooks for `diffuse`. */
  diffuseHooks() {
    return {
      onStage: (stage: GenerationStage) => this.stage(stage),
      onStep: (denoised: readonly Tensor[]) => {
        this.advance();
        this.runHooks.onDenoised?.(denoised, { stage: this.current, completed: this.completed, total: this.total });
      },
      ...(this.runHooks.signal && { signal: this.runHooks.signal }),
    };
  }

  private emit(): void {
    this.runHooks.onProgress?.({ stage: this.current, completed: this.completed, total: this.total });
  }
}
