/**
 * A model's own describer: its classifier (an ONNX graph with one head per
 * caption slot) reads the image, the fitted style model adds style words,
 * and the caption grammar writes four prompts (docs/describe.md).
 *
 * Worker and bench only: it opens ONNX sessions, which the web process never
 * does (docs/engineering-style.md, rule 9).
 */
import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";

import { Judge } from "@/lib/diffusion/eval/judge";
import type { RgbImage } from "@/lib/diffusion/pipelines/types";
import { readModelManifest } from "@/lib/models/manifest";
import { rankCandidates, SCENE_HEADS, softmax, type TCandidate, type THeadBelief, type TSceneHead } from "./candidates";
import { ZDescriberFile, type TDescriberFile } from "./describer-file";
import { standardize, styleFeatures, stylePhrases } from "./style-model";

/** A path from a model's files, refused when it leaves the model folder. */
function insideModel(modelDir: string, relative: string): string {
  const root = resolve(modelDir);
  const path = resolve(root, relative);
  if (path !== root && !path.startsWith(root + sep)) throw new Error(`${relative} points outside the model folder ${root}`);
  return path;
}

/** Reads and validates the describer file a model's manifest names, or undefined when it names none. */
export async function readDescriberFile(modelDir: string): Promise<TDescriberFile | undefined> {
  const read = await readModelManifest(modelDir);
  const file = read?.manifest.describer;
  if (!file) return undefined;
  const path = insideModel(modelDir, file);
  const parsed = ZDescriberFile.safeParse(JSON.parse(await readFile(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a valid describer file: ${parsed.error.message}`);
  return parsed.data;
}

export class Describer {
  private constructor(
    private readonly judge: Judge,
    readonly file: TDescriberFile,
  ) {}

  /** The describer of the model in `modelDir`, or undefined when its manifest names none. */
  static async load(modelDir: string): Promise<Describer | undefined> {
    const file = await readDescriberFile(modelDir);
    if (!file) return undefined;
    const judge = await Judge.load(insideModel(modelDir, file.judge));
    for (const head of SCENE_HEADS) if (!judge.heads[head]) throw new Error(`the describer's classifier has no "${head}" head`);
    return new Describer(judge, file);
  }

  /** The classifier's heads: name → labels, in logit order. */
  get heads(): Readonly<Record<string, readonly string[]>> {
    return this.judge.heads;
  }

  /** Each scene head's labels and probabilities for this image. */
  async beliefs(image: RgbImage): Promise<Record<TSceneHead, THeadBelief>> {
    const logits = await this.judge.logits(image);
    return Object.fromEntries(SCENE_HEADS.map((head) => [head, { labels: this.judge.heads[head]!, probabilities: softmax(logits[head]!) }])) as unknown as Record<TSceneHead, THeadBelief>;
  }

  /** The raw style features of an image (what the fit standardizes and learns from). */
  styleFeatures(image: RgbImage, beliefs: Record<"background" | "colour", THeadBelief>): Float64Array {
    return styleFeatures(image, beliefs, this.file.style.features);
  }

  /** Four prompts that would make something like `image`, best first. */
  async describe(image: RgbImage): Promise<TCandidate[]> {
    const beliefs = await this.beliefs(image);
    const { style } = this.file;
    const styles = stylePhrases(style, standardize(this.styleFeatures(image, beliefs), style.mean, style.scale));
    return rankCandidates(beliefs, this.file, styles);
  }

  async dispose(): Promise<void> {
    await this.judge.dispose();
  }
}
