/**
 * The shared denoising loop. Several images (one per seed) run through the
 * UNet as one batch, but each keeps its own scheduler and generator, so image
 * k of a 4-image job is identical to a 1-image job with seed + k.
 */
import type { Tensor } from "onnxruntime-node";

import type { DiffusionModel, TextConditioning } from "../model/diffusion-model";
import type { TorchGenerator } from "../random";
import type { Scheduler } from "../schedulers";
import { batchItem, concatBatch, floatData, floatTensor } from "../tensor";
import { concatChannels } from "./masked";
import { predictTiled } from "./prompt-effects";

export interface DenoiseInput {
  model: DiffusionModel;
  /** One scheduler per image, already `setTimesteps`-ed (and `setBeginIndex`-ed for img2img). */
  schedulers: Scheduler[];
  generators: TorchGenerator[];
  /** Per-image starting latents, [1, C, h, w] each. */
  latents: Tensor[];
  timesteps: number[];
  /** Batch [uncond, cond] when classifier-free guidance runs, else [cond] (hidden states [·, 77, d]). */
  text: TextConditioning;
  guidance: number;
  classifierFree: boolean;
  /** After each step, with each image's current x₀ estimate (the scheduler's, else its latents): what live previews show. */
  onStep?: (denoised: readonly Tensor[]) => void;
  signal?: AbortSignal;
  /** Masked generation with a 4-channel UNet: the known region blended back after each step (./masked.ts). */
  constrain?: (image: number, stepIndex: number, latents: Tensor) => Tensor;
  /** Masked generation with an inpainting UNet: channels appended to each image's UNet input (./masked.ts). */
  extraChannels?: Tensor[];
  /** `--stop`: after this many steps, return each image's x₀ estimate (the partial result). */
  stopAfter?: number;
  /** `--tile`: the UNet sees the latents wrapped around by this many latent pixels on every side. */
  tilePadding?: number;
}

export interface DenoiseOutput {
  /** Final latents per image; for LCM the last `denoised`, which is what LCM decodes. */
  latents: Tensor[];
}

export async function denoise(input: DenoiseInput): Promise<DenoiseOutput> {
  const { model, schedulers, generators, timesteps, classifierFree, guidance } = input;
  const count = input.latents.length;
  const text: TextConditioning = {
    hiddenStates: repeatConditioning(input.text.hiddenStates, count, classifierFree),
    ...(input.text.pooled && { pooled: repeatConditioning(input.text.pooled, count, classifierFree) }),
  };
  let latents = input.latents;
  for (const [stepIndex, t] of timesteps.entries()) {
    input.signal?.throwIfAborted();
    const scaled = latents.map((l, i) => {
      const x = schedulers[i]!.scaleModelInput(l, t);
      return input.extraChannels ? concatChannels(x, input.extraChannels[i]!) : x;
    });
    const batch = concatBatch(classifierFree ? [...scaled, ...scaled] : scaled);
    const pad = input.tilePadding;
    const prediction = pad ? await predictTiled((input) => model.predictNoise(input, t, text, guidance), batch, pad, stepIndex) : await model.predictNoise(batch, t, text, guidance);
    const denoised: Tensor[] = [];
    latents = latents.map((sample, i) => {
      const noise = classifierFree
        ? guide(sliceBatch(prediction, i), sliceBatch(prediction, count + i), guidance)
        : sliceBatch(prediction, i);
      const step = schedulers[i]!.step(noise, t, sample, { generator: generators[i]! });
      denoised.push(step.predOriginalSample ?? step.prevSample);
      return input.constrain ? input.constrain(i, stepIndex, step.prevSample) : step.prevSample;
    });
    // A two-evaluation step (Heun) reports once, after its second evaluation.
    if (!schedulers[0]?.isMidStep) input.onStep?.(denoised);
    if (input.stopAfter !== undefined && stepIndex + 1 >= input.stopAfter && stepIndex + 1 < timesteps.length) return { latents: denoised };
  }
  return { latents };
}

/** ε = ε_u + g·(ε_c − ε_u), in float32 and in that order, as diffusers computes it. */
function guide(unconditional: Tensor, conditional: Tensor, guidance: number): Tensor {
  const u = floatData(unconditional);
  const c = floatData(conditional);
  const f = Math.fround;
  return floatTensor(u.map((ui, i) => ui + f(guidance * f(c[i]! - ui))), unconditional.dims);
}

function sliceBatch(tensor: Tensor, index: number): Tensor {
  return floatTensor(batchItem(tensor, index).slice(), [1, ...tensor.dims.slice(1)]);
}

/** [uncond, cond] → uncond×n ⊕ cond×n (diffusers' batch order); [cond] → cond×n. */
function repeatConditioning(embeddings: Tensor, count: number, classifierFree: boolean): Tensor {
  const rows = classifierFree ? [sliceBatch(embeddings, 0), sliceBatch(embeddings, 1)] : [sliceBatch(embeddings, 0)];
  return concatBatch(rows.flatMap((row) => Array<Tensor>(count).fill(row)));
}
