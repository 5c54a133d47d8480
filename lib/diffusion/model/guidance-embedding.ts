/**
 * LCM's guidance-scale embedding (`timestep_cond`): the distilled UNet is told
 * the guidance w = g − 1 it was distilled for as sinusoidal features of 1000·w
 * (diffusers' `get_guidance_scale_embedding`).
 */
import type { Tensor } from "onnxruntime-node";

import { floatTensor } from "../tensor";

export function guidanceEmbedding(w: number, width: number, batch: number): Tensor {
  const half = Math.floor(width / 2);
  const step = Math.log(10000) / (half - 1);
  const row = new Float32Array(width);
  for (let k = 0; k < half; k++) {
    const angle = 1000 * w * Math.exp(-k * step);
    row[k] = Math.sin(angle);
    row[half + k] = Math.cos(angle);
  }
  const out = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) out.set(row, b * width);
  return floatTensor(out, [batch, width]);
}
