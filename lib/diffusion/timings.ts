/** Per-job accounting of time spent inside onnxruntime, fed by `ComponentSession` run listeners. */
import { performance } from "node:perf_hooks";

import type { StageTimings } from "./pipelines/types";

const FIELD_BY_COMPONENT = {
  text_encoder: "textEncoderMs",
  unet: "unetMs",
  vae_decoder: "vaeDecoderMs",
  vae_encoder: "vaeEncoderMs",
  upscaler: "upscalerMs",
} as const;

export class TimingCollector {
  private readonly started = performance.now();
  private readonly totals: Omit<StageTimings, "inferenceMs" | "wallMs"> = {
    textEncoderMs: 0,
    unetMs: 0,
    unetCalls: 0,
    vaeDecoderMs: 0,
    vaeEncoderMs: 0,
    upscalerMs: 0,
  };

  /** Bound so it can be handed to `setRunListener` directly. */
  readonly record = (component: string, milliseconds: number): void => {
    const field = FIELD_BY_COMPONENT[component as keyof typeof FIELD_BY_COMPONENT];
    if (!field) return;
    this.totals[field] += milliseconds;
    if (field === "unetMs") this.totals.unetCalls++;
  };

  finish(): StageTimings {
    const t = this.totals;
    const inferenceMs = t.textEncoderMs + t.unetMs + t.vaeDecoderMs + t.vaeEncoderMs + t.upscalerMs;
    return { ...t, inferenceMs, wallMs: performance.now() - this.started };
  }
}
