/**
 * Mirage's generation engine: Stable-Diffusion-family ONNX exports run with
 * onnxruntime-node. Plain TypeScript (no Next.js, Prisma or BullMQ).
 *
 * Workers should use the runner, which keeps inference off their event loop:
 *
 *   const runner = createDiffusionRunner({ provider: "cpu" });
 *   const { images, timings } = await runner.generate("models/mirage-tiny",
 *     { kind: "imagine", prompt, width: 128, height: 128, seed, quality: "draft" },
 *     { onProgress: (p) => job.updateProgress(p), signal });
 *   await runner.close();
 *
 * `loadModel` + `generate` are the same operations in-process (tests, benches).
 */
export { createDiffusionRunner, type DiffusionRunner, type RunnerHooks, type RunnerOptions } from "./runner/diffusion-runner";
export type { LatentPreview, ModelInfo } from "./runner/protocol";
export { disposeModels, loadModel, type LoadOptions } from "./model-cache";
export { generate, seedRange, VARY_STRENGTH, type GenerationResult, type LoadedModel } from "./pipelines/generate";
export { ZGenerationRequest, ZMaskImage, ZOutpaintMove, ZRgbImage, type TGenerationRequest, type TGenerationRequestInput } from "./pipelines/request";
export { maskFromRgb, type MaskImage } from "./pipelines/mask";
export { outpaintLayout, type OutpaintLayout, type TOutpaintMove, type TPanDirection } from "../editor/outpaint-layout";
export { presetFor, resolveSchedulerName, TURBO_PRESET, type Quality } from "./pipelines/presets";
export type {
  GeneratedImage,
  GenerationMode,
  GenerationProgress,
  GenerationRecipe,
  GenerationStage,
  RgbImage,
  RunHooks,
  SamplerSettings,
  StageTimings,
  TimestepSpacing,
} from "./pipelines/types";
export { DiffusionModel, type LoadModelOptions } from "./model/diffusion-model";
export type { ExecutionProviderName, SessionOptions } from "./model/session";
export { SuperResolutionModel } from "./pipelines/super-resolution";
export { TorchGenerator } from "./random";
export { loadClipTokenizer, type ClipTokenizer } from "./tokenizer";
export * from "./schedulers";
