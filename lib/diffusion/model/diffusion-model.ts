/**
 * A loaded Stable-Diffusion-family model: one warmed onnxruntime session per
 * component plus the tokenizer, exposing the four operations pipelines are
 * built from (encode prompts, predict noise, decode and encode latents).
 * Everything that depends on how a particular export was made (dtypes, ranks,
 * VAE encoder outputs, scaling factor) is resolved here.
 */
import type { Tensor } from "onnxruntime-node";

import type { TorchGenerator } from "../random";
import { batchItem, concatBatch, floatData, floatTensor, scaleTensor } from "../tensor";
import { loadClipTokenizer, type ClipTokenizer } from "../tokenizer";
import { castFloatInput, idsInput, timestepInput } from "./feeds";
import { guidanceEmbedding } from "./guidance-embedding";
import { readModelLayout, type ModelLayout } from "./layout";
import { openComponentSession, type ComponentSession, type RunListener, type SessionOptions } from "./session";

export interface LoadModelOptions extends SessionOptions {
  /** Run each component once on a small input so the first job pays no first-run cost. @defaultValue true */
  warmup?: boolean;
}

/** Text-encoder output for a batch of prompts. */
export interface TextConditioning {
  /** [batch, 77, hidden] */
  hiddenStates: Tensor;
  /** [batch, pooled] — SDXL's `text_embeds`. */
  pooled?: Tensor;
}

interface TextEncoder {
  session: ComponentSession;
  tokenizer: ClipTokenizer;
}

/** Pixels as NCHW float32 in [−1, 1], the VAE's convention. */
export type VaePixels = Tensor;

/** Ratio of image to latent side length for every SD-family VAE. */
export const VAE_SCALE_FACTOR = 8;

export class DiffusionModel {
  private constructor(
    readonly layout: ModelLayout,
    private readonly textEncoders: readonly TextEncoder[],
    private readonly unet: ComponentSession,
    private readonly vaeDecoder: ComponentSession,
    private readonly vaeEncoder: ComponentSession | undefined,
  ) {}

  static async load(dir: string, options: LoadModelOptions = {}): Promise<DiffusionModel> {
    const layout = await readModelLayout(dir);
    const paths = layout.componentPaths;
    const tokenizers = await Promise.all(layout.tokenizerDirs.map((d) => loadClipTokenizer(d)));
    // The UNet decides the provider: if CUDA cannot load for it, the rest go
    // straight to CPU instead of failing (and warning) once per component.
    const unet = await openComponentSession("unet", paths.unet!, options);
    const rest = { ...options, provider: unet.provider };
    const open = (name: string, path: string) => openComponentSession(name, path, rest);
    const [textEncoder, textEncoder2, vaeDecoder, vaeEncoder] = await Promise.all([
      open("text_encoder", paths.text_encoder!),
      paths.text_encoder_2 ? open("text_encoder_2", paths.text_encoder_2) : Promise.resolve(undefined),
      open("vae_decoder", paths.vae_decoder!),
      paths.vae_encoder ? open("vae_encoder", paths.vae_encoder) : Promise.resolve(undefined),
    ]);
    const encoders: TextEncoder[] = [{ session: textEncoder, tokenizer: tokenizers[0]! }];
    if (textEncoder2) encoders.push({ session: textEncoder2, tokenizer: tokenizers[1]! });
    const model = new DiffusionModel(layout, encoders, unet, vaeDecoder, vaeEncoder);
    if (options.warmup ?? true) await model.warmUp();
    return model;
  }

  get name(): string {
    return this.layout.name;
  }

  /** The provider the UNet actually runs on (after any CUDA → CPU fallback). */
  get provider(): ComponentSession["provider"] {
    return this.unet.provider;
  }

  get canEncodeImages(): boolean {
    return this.vaeEncoder !== undefined;
  }

  /** Latent channels: what the VAE decoder takes (4 for every SD-family model). */
  get latentChannels(): number {
    const channels = this.vaeDecoder.input("latent_sample").shape[1];
    return typeof channels === "number" ? channels : 4;
  }

  /** Channels of the UNet's `sample` input: the latents, or more for an inpainting UNet. */
  get unetInputChannels(): number {
    const channels = this.unet.input("sample").shape[1];
    return typeof channels === "number" ? channels : this.latentChannels;
  }

  /**
   * A native inpainting UNet (SD inpainting exports): `sample` takes latents ⊕
   * mask ⊕ masked-image latents, 2·C + 1 channels (9 for SD), detected from
   * the session's declared input shape.
   */
  get isInpaintingUnet(): boolean {
    return this.unetInputChannels === 2 * this.latentChannels + 1;
  }

  /** LCM-distilled UNets take a guidance embedding instead of running classifier-free guidance. */
  get takesGuidanceEmbedding(): boolean {
    return this.unet.hasInput("timestep_cond");
  }

  /** Every component reports the milliseconds of each onnxruntime `run` here. */
  setRunListener(listener: RunListener | undefined): void {
    for (const session of this.sessions()) session.setRunListener(listener);
  }

  /** SDXL-style exports: two text encoders, pooled embeddings and micro-conditioning. */
  get isSdxl(): boolean {
    return this.unet.hasInput("text_embeds");
  }

  get tokenizer(): ClipTokenizer {
    return this.textEncoders[0]!.tokenizer;
  }

  /**
   * Conditioning for one prompt: batch [negative, prompt] when classifier-free
   * guidance runs, else [prompt]. SDXL models with `force_zeros_for_empty_prompt`
   * use zeros, not the encoded empty string, for an empty negative prompt.
   */
  async encodeText(prompt: string, negativePrompt: string, classifierFree: boolean): Promise<TextConditioning> {
    if (!classifierFree) return this.encodePrompts([prompt]);
    if (negativePrompt === "" && this.isSdxl && this.layout.modelIndex["force_zeros_for_empty_prompt"] !== false) {
      const cond = await this.encodePrompts([prompt]);
      const zeros = (t: Tensor) => floatTensor(new Float32Array(t.size), t.dims);
      return {
        hiddenStates: concatBatch([zeros(cond.hiddenStates), cond.hiddenStates]),
        ...(cond.pooled && { pooled: concatBatch([zeros(cond.pooled), cond.pooled]) }),
      };
    }
    return this.encodePrompts([negativePrompt, prompt]);
  }

  /**
   * SD: `last_hidden_state`. SDXL: the penultimate `hidden_states.N` of both
   * encoders concatenated on the feature axis, and the second encoder's
   * `text_embeds` as the pooled embedding.
   */
  async encodePrompts(prompts: readonly string[]): Promise<TextConditioning> {
    if (!this.isSdxl) {
      const out = await this.runTextEncoder(this.textEncoders[0]!, prompts);
      const hiddenStates = out["last_hidden_state"] ?? out[this.textEncoders[0]!.session.outputNames[0]!];
      if (!hiddenStates) throw new Error("text encoder returned no last_hidden_state");
      return { hiddenStates };
    }
    const states: Tensor[] = [];
    let pooled: Tensor | undefined;
    for (const encoder of this.textEncoders) {
      const out = await this.runTextEncoder(encoder, prompts);
      states.push(penultimateHiddenState(out, encoder.session.component));
      pooled = out["text_embeds"] ?? pooled;
    }
    if (!pooled) throw new Error("no SDXL text encoder returned text_embeds");
    return { hiddenStates: concatLastAxis(states), pooled };
  }

  private runTextEncoder(encoder: TextEncoder, prompts: readonly string[]): Promise<Record<string, Tensor>> {
    const ids = prompts.map((p) => encoder.tokenizer.encodePadded(p));
    return encoder.session.run({ input_ids: idsInput(ids, encoder.session.input("input_ids")) });
  }

  /**
   * One UNet evaluation. `guidanceScale` feeds LCM's `timestep_cond` when the
   * graph has one; other graphs ignore it.
   */
  async predictNoise(latents: Tensor, timestep: number, text: TextConditioning, guidanceScale = 1): Promise<Tensor> {
    const batch = latents.dims[0] ?? 1;
    const feeds: Record<string, Tensor> = {
      sample: castFloatInput(latents, this.unet.input("sample")),
      timestep: timestepInput(timestep, batch, this.unet.input("timestep")),
      encoder_hidden_states: castFloatInput(text.hiddenStates, this.unet.input("encoder_hidden_states")),
    };
    if (this.isSdxl) {
      if (!text.pooled) throw new Error("SDXL UNet needs pooled text embeddings");
      feeds["text_embeds"] = castFloatInput(text.pooled, this.unet.input("text_embeds"));
      feeds["time_ids"] = castFloatInput(sdxlTimeIds(latents, batch), this.unet.input("time_ids"));
    }
    if (this.takesGuidanceEmbedding) {
      const spec = this.unet.input("timestep_cond");
      const width = typeof spec.shape[1] === "number" ? spec.shape[1] : 256;
      feeds["timestep_cond"] = castFloatInput(guidanceEmbedding(guidanceScale - 1, width, batch), spec);
    }
    const out = await this.unet.run(feeds);
    const noise = out["out_sample"] ?? out[this.unet.outputNames[0]!];
    if (!noise) throw new Error("UNet returned no out_sample");
    return noise;
  }

  /** Latents (scaled, as the UNet sees them) → pixels in [−1, 1], one image per call as diffusers does. */
  async decodeLatents(latents: Tensor): Promise<VaePixels[]> {
    const batch = latents.dims[0] ?? 1;
    const single = [1, ...latents.dims.slice(1)];
    const spec = this.vaeDecoder.input("latent_sample");
    const images: VaePixels[] = [];
    for (let i = 0; i < batch; i++) {
      const unscaled = floatTensor(batchItem(latents, i).map((v) => v / this.layout.vaeScalingFactor), single);
      const out = await this.vaeDecoder.run({ latent_sample: castFloatInput(unscaled, spec) });
      const pixels = out["sample"] ?? out[this.vaeDecoder.outputNames[0]!];
      if (!pixels) throw new Error("VAE decoder returned no sample");
      images.push(pixels);
    }
    return images;
  }

  /**
   * Pixels in [−1, 1] (batch 1, sides divisible by 8) → scaled latents, one per
   * generator. Encoders that return `latent_parameters` (mean ⊕ log-variance)
   * are sampled with each generator, as diffusers' `latent_dist.sample(generator)`;
   * older exports return `latent_sample`, already sampled inside the graph.
   */
  async encodePixels(pixels: VaePixels, generators: readonly TorchGenerator[]): Promise<Tensor[]> {
    if (!this.vaeEncoder) throw new Error(`${this.name} has no vae_encoder; image-to-image needs one`);
    const [, , height = 0, width = 0] = pixels.dims;
    if (height % VAE_SCALE_FACTOR || width % VAE_SCALE_FACTOR) {
      throw new RangeError(`image sides must be multiples of ${VAE_SCALE_FACTOR}, got ${width}×${height}`);
    }
    const out = await this.vaeEncoder.run({ sample: castFloatInput(pixels, this.vaeEncoder.input("sample")) });
    const scale = this.layout.vaeScalingFactor;
    const parameters = out["latent_parameters"];
    if (parameters) return generators.map((g) => scaleTensor(sampleDiagonalGaussian(parameters, g), scale));
    const sampled = out["latent_sample"] ?? out[this.vaeEncoder.outputNames[0]!];
    if (!sampled) throw new Error("VAE encoder returned neither latent_parameters nor latent_sample");
    return generators.map(() => scaleTensor(sampled, scale));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.sessions().map((s) => s.release()));
  }

  private sessions(): ComponentSession[] {
    return [...this.textEncoders.map((e) => e.session), this.unet, this.vaeDecoder, ...(this.vaeEncoder ? [this.vaeEncoder] : [])];
  }

  private async warmUp(): Promise<void> {
    const text = await this.encodeText("", "", false);
    const side = 8;
    const latents = floatTensor(new Float32Array(this.latentChannels * side * side), [1, this.latentChannels, side, side]);
    const unetInput = this.unetInputChannels;
    await this.predictNoise(floatTensor(new Float32Array(unetInput * side * side), [1, unetInput, side, side]), 1, text);
    await this.decodeLatents(latents);
  }
}

/** The second-to-last `hidden_states.N` output, what SDXL conditions on (diffusers' `hidden_states[-2]`). */
function penultimateHiddenState(out: Record<string, Tensor>, component: string): Tensor {
  const layers = Object.keys(out)
    .map((name) => /^hidden_states\.(\d+)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  if (layers.length < 2) throw new Error(`${component} exports no hidden_states.N outputs; SDXL needs them`);
  return out[`hidden_states.${Math.max(...layers) - 1}`]!;
}

/** [B, S, a] ⊕ [B, S, b] → [B, S, a + b]. */
function concatLastAxis(tensors: readonly Tensor[]): Tensor {
  const rows = tensors[0]!.size / tensors[0]!.dims.at(-1)!;
  const widths = tensors.map((t) => t.dims.at(-1)!);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let offset = r * total;
    tensors.forEach((t, k) => {
      out.set(floatData(t).subarray(r * widths[k]!, (r + 1) * widths[k]!), offset);
      offset += widths[k]!;
    });
  }
  return floatTensor(out, [...tensors[0]!.dims.slice(0, -1), total]);
}

/** SDXL micro-conditioning: original size, crop top-left (0, 0), target size — all the output size. */
function sdxlTimeIds(latents: Tensor, batch: number): Tensor {
  const [, , h = 0, w = 0] = latents.dims;
  const row = [h * VAE_SCALE_FACTOR, w * VAE_SCALE_FACTOR, 0, 0, h * VAE_SCALE_FACTOR, w * VAE_SCALE_FACTOR];
  return floatTensor(Float32Array.from({ length: batch * 6 }, (_, i) => row[i % 6]!), [batch, 6]);
}

/** mean + exp(½·clamp(logvar, −30, 20))·ε for parameters laid out [mean ⊕ logvar] on the channel axis. */
export function sampleDiagonalGaussian(parameters: Tensor, generator: TorchGenerator): Tensor {
  const [batch = 1, channels = 0, ...spatial] = parameters.dims;
  const half = channels / 2;
  const plane = spatial.reduce((a, b) => a * b, 1);
  const dims = [batch, half, ...spatial];
  const noise = generator.randn(dims);
  const data = floatData(parameters);
  const out = new Float32Array(batch * half * plane);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < half; c++) {
      const meanOffset = (b * channels + c) * plane;
      const logvarOffset = (b * channels + c + half) * plane;
      const outOffset = (b * half + c) * plane;
      for (let i = 0; i < plane; i++) {
        const logvar = Math.min(Math.max(data[logvarOffset + i]!, -30), 20);
        out[outOffset + i] = data[meanOffset + i]! + Math.exp(0.5 * logvar) * noise[outOffset + i]!;
      }
    }
  }
  return floatTensor(out, dims);
}

