/**
 * A loaded Stable-Diffusion-family model: one warmed onnxruntime session per
 * component plus the tokenizer, exposing the four operations pipelines are
 * built from (encode prompts, predict noise, decode and encode latents).
 * Everything that depends on how a particular export was made (dtypes, ranks,
 * VAE encoder outputs, scaling factor) is resolved here.
 */
import type { Tensor } from "onnxruntime-node";

import type { TorchGenerator } from "../random";
import { batchItem, floatData, floatTensor, scaleTensor } from "../tensor";
import { loadClipTokenizer, type ClipTokenizer } from "../tokenizer";
import { castFloatInput, idsInput, timestepInput } from "./feeds";
import { readModelLayout, type ModelLayout } from "./layout";
import { guidanceEmbedding } from "./guidance-embedding";
import { openComponentSession, type ComponentSession, type RunListener, type SessionOptions } from "./session";

export interface LoadModelOptions extends SessionOptions {
  /** Run each component once on a small input so the first job pays no first-run cost. @defaultValue true */
  warmup?: boolean;
}

/** Text-encoder output for a batch of prompts. */
export interface TextConditioning {
  /** [batch, 77, hidden] */
  hiddenStates: Tensor;
}

/** Pixels as NCHW float32 in [−1, 1], the VAE's convention. */
export type VaePixels = Tensor;

/** Ratio of image to latent side length for every SD-family VAE. */
export const VAE_SCALE_FACTOR = 8;

export class DiffusionModel {
  private constructor(
    readonly layout: ModelLayout,
    readonly tokenizer: ClipTokenizer,
    private readonly textEncoder: ComponentSession,
    private readonly unet: ComponentSession,
    private readonly vaeDecoder: ComponentSession,
    private readonly vaeEncoder: ComponentSession | undefined,
  ) {}

  static async load(dir: string, options: LoadModelOptions = {}): Promise<DiffusionModel> {
    const layout = await readModelLayout(dir);
    if (layout.componentPaths.text_encoder_2) {
      throw new Error(`${layout.name}: SDXL exports (text_encoder_2) are not supported by this engine yet`);
    }
    const paths = layout.componentPaths;
    const tokenizer = await loadClipTokenizer(layout.tokenizerDirs[0]!);
    // The UNet decides the provider: if CUDA cannot load for it, the rest go
    // straight to CPU instead of failing (and warning) once per component.
    const unet = await openComponentSession("unet", paths.unet!, options);
    const rest = { ...options, provider: unet.provider };
    const open = (name: string, path: string) => openComponentSession(name, path, rest);
    const [textEncoder, vaeDecoder, vaeEncoder] = await Promise.all([
      open("text_encoder", paths.text_encoder!),
      open("vae_decoder", paths.vae_decoder!),
      paths.vae_encoder ? open("vae_encoder", paths.vae_encoder) : Promise.resolve(undefined),
    ]);
    const model = new DiffusionModel(layout, tokenizer, textEncoder, unet, vaeDecoder, vaeEncoder);
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

  /** Latent channels the UNet declares (4 for every SD-family model). */
  get latentChannels(): number {
    const channels = this.unet.input("sample").shape[1];
    return typeof channels === "number" ? channels : 4;
  }

  /** LCM-distilled UNets take a guidance embedding instead of running classifier-free guidance. */
  get takesGuidanceEmbedding(): boolean {
    return this.unet.hasInput("timestep_cond");
  }

  /** Every component reports the milliseconds of each onnxruntime `run` here. */
  setRunListener(listener: RunListener | undefined): void {
    for (const session of this.sessions()) session.setRunListener(listener);
  }

  async encodePrompts(prompts: readonly string[]): Promise<TextConditioning> {
    const ids = prompts.map((p) => this.tokenizer.encodePadded(p));
    const out = await this.textEncoder.run({ input_ids: idsInput(ids, this.textEncoder.input("input_ids")) });
    const hiddenStates = out["last_hidden_state"] ?? out[this.textEncoder.outputNames[0]!];
    if (!hiddenStates) throw new Error("text encoder returned no last_hidden_state");
    return { hiddenStates };
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
    return [this.textEncoder, this.unet, this.vaeDecoder, ...(this.vaeEncoder ? [this.vaeEncoder] : [])];
  }

  private async warmUp(): Promise<void> {
    const text = await this.encodePrompts([""]);
    const side = 8;
    const latents = floatTensor(new Float32Array(this.latentChannels * side * side), [1, this.latentChannels, side, side]);
    await this.predictNoise(latents, 1, text);
    await this.decodeLatents(latents);
  }
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

