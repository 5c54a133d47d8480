/** mirage-tiny's evaluation judge: an ONNX classifier with one head per attribute. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { floatData, floatTensor } from "../tensor";
import { openComponentSession, type ComponentSession, type SessionOptions } from "../model/session";
import type { RgbImage } from "../pipelines/types";

export class Judge {
  private constructor(
    private readonly session: ComponentSession,
    private readonly inputName: string,
    /** Head name → labels, in logit order. */
    readonly heads: Record<string, string[]>,
  ) {}

  /** Reads `<evalDir>/judge.json` and opens the graph it names. */
  static async load(evalDir: string, options: SessionOptions = {}): Promise<Judge> {
    const spec = JSON.parse(await readFile(join(evalDir, "judge.json"), "utf8")) as {
      judge: { file: string; input: { name: string }; outputs: Record<string, { labels: string[] }> };
    };
    const session = await openComponentSession("judge", join(evalDir, spec.judge.file), options);
    const heads = Object.fromEntries(Object.entries(spec.judge.outputs).map(([name, out]) => [name, out.labels]));
    return new Judge(session, spec.judge.input.name, heads);
  }

  /** Each head's raw logits, in label order (Describe ranks alternatives by them). */
  async logits(image: RgbImage): Promise<Record<string, Float32Array>> {
    const plane = image.width * image.height;
    const pixels = new Float32Array(plane * 3);
    for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) pixels[c * plane + i] = image.data[i * 3 + c]! / 255;
    const out = await this.session.run({ [this.inputName]: floatTensor(pixels, [1, 3, image.height, image.width]) });
    return Object.fromEntries(Object.keys(this.heads).map((head) => [head, floatData(out[head]!)]));
  }

  /** label = labels[argmax(logits)] for every head. */
  async classify(image: RgbImage): Promise<Record<string, string>> {
    const scores = await this.logits(image);
    const labels: Record<string, string> = {};
    for (const [head, names] of Object.entries(this.heads)) {
      const logits = scores[head]!;
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
      labels[head] = names[best]!;
    }
    return labels;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
