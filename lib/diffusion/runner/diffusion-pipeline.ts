/**
 * The engine in the shape of Mirage's ML pipeline contract (style guide rule
 * 18): `load()` once (guarded), `run()` with a zod-checked output,
 * `dispose()`. Inference happens in the runner's child process.
 */
import { z } from "zod";

import type { GenerationResult } from "../pipelines/generate";
import { ZRgbImage, type TGenerationRequestInput } from "../pipelines/request";
import type { GenerationProgress } from "../pipelines/types";
import { SCHEDULER_NAMES } from "../schedulers";
import { createDiffusionRunner, type DiffusionRunner, type RunnerOptions } from "./diffusion-runner";
import type { ModelInfo } from "./protocol";

export interface Pipeline<I, O> {
  load(): Promise<void>;
  run(input: I, signal?: AbortSignal): Promise<O>;
  dispose(): Promise<void>;
}

const ZRecipe = z.object({
  model: z.string(),
  mode: z.enum(["txt2img", "img2img", "image-prompt", "upscale-subtle", "upscale-creative"]),
  prompt: z.string(),
  negativePrompt: z.string(),
  scheduler: z.enum(SCHEDULER_NAMES),
  steps: z.number().int().nonnegative(),
  guidance: z.number(),
  timestepSpacing: z.enum(["leading", "trailing", "linspace"]).optional(),
  karras: z.boolean().optional(),
  seed: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  strength: z.number().optional(),
  upscaleFactor: z.number().optional(),
});

export const ZGenerationResult = z.object({
  images: z.array(z.object({ image: ZRgbImage, recipe: ZRecipe })).min(1),
  timings: z.object({
    textEncoderMs: z.number(),
    unetMs: z.number(),
    unetCalls: z.number().int(),
    vaeDecoderMs: z.number(),
    vaeEncoderMs: z.number(),
    upscalerMs: z.number(),
    inferenceMs: z.number(),
    wallMs: z.number(),
  }),
});

export interface DiffusionPipelineOptions extends RunnerOptions {
  onProgress?: (progress: GenerationProgress) => void;
}

export class DiffusionPipeline implements Pipeline<TGenerationRequestInput, GenerationResult> {
  private readonly runner: DiffusionRunner;
  private loading: Promise<ModelInfo> | undefined;

  constructor(
    readonly modelDir: string,
    private readonly options: DiffusionPipelineOptions = {},
  ) {
    const { onProgress: _onProgress, ...runnerOptions } = options;
    this.runner = createDiffusionRunner(runnerOptions);
  }

  /** Loads and warms the model once; a failed load can be retried. */
  async load(): Promise<void> {
    this.loading ??= this.runner.preload(this.modelDir).catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    await this.loading;
  }

  async run(input: TGenerationRequestInput, signal?: AbortSignal): Promise<GenerationResult> {
    await this.load();
    const result = await this.runner.generate(this.modelDir, input, {
      ...(signal && { signal }),
      ...(this.options.onProgress && { onProgress: this.options.onProgress }),
    });
    return ZGenerationResult.parse(result) as GenerationResult;
  }

  async dispose(): Promise<void> {
    await this.runner.close();
  }
}
