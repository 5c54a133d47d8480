import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, loadModel, type LoadedModel } from "@/lib/diffusion";
import { STATISTICS, toFloatImage, type FloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import type { TJobParams } from "@/lib/jobs/registry";
import { profileCode } from "@/lib/personalization";
import { createRedis } from "@/lib/redis";
import { planImagine } from "@/lib/server/jobs/create-imagine-jobs";
import { modelStyle, type TStyleAxis } from "@/lib/server/personalization/axes";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext } from "../support/worker-process";

/**
 * Done-when 3 of issue 8 for every style axis of the bundled mirage-tiny
 * (models/mirage-tiny/mirage.json `style_axes`): a synthetic user who prefers
 * one pole of one axis gets personalized images whose pixel statistic for
 * that axis moves the preferred way on ≥ 12 of 16 prompt–seed pairs (4
 * prompts × a grid of 4 seeds) at --s 1000, by more on average at --s 1000
 * than at --s 100 (and the right way at --s 100), and bit-identical images at
 * --s 0.
 *
 * The job parameters come from the real acceptance path (`planImagine`: prompt
 * parser, `--p CODE` resolution against stored profile versions, the blend,
 * the λ(--s) curve and the axis' calibrated gain); the images from the engine
 * call a worker makes for those parameters (`generate`, with the steering the
 * worker maps from `params.personalize`), in this process. The worker path
 * itself (queue, PNG files, recipes) is covered for one axis by
 * personalization-steering.test.ts; here 6 axes × 12 grids (plus 4 plain ones)
 * take ~15 s on two cores.
 *
 * Poles: the design's examples (muted, dark, outlines) and, for the others, the
 * pole that steers monotonically. Calibration (bench/personalization/calibrate.ts,
 * on other prompts and seeds) found that "flat shading" and "minimal" push
 * their statistics the same way as the opposite pole (off-distribution
 * conditioning adds gradients and high frequencies) and that "no outline" has
 * nothing to remove from these images; those poles are not tested.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS_DIR = path.join(ROOT, "models");
const MODEL = "mirage-tiny";
const PROMPTS = ["a red boat", "a yellow star", "a green tree", "a blue house"];
/** The preferred pole per axis: −1 = the `negative` phrase, +1 = the `positive` one. */
const POLES: Record<string, -1 | 1> = { saturation: -1, temperature: 1, brightness: -1, outline: 1, shading: 1, detail: 1 };

const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-axes`;
const context = createTestJobContext(db, redis, prefix, { modelsDir: MODELS_DIR, defaultModelId: MODEL });
let model: LoadedModel;
let userId = "";
let axes: TStyleAxis[] = [];
const codes = new Map<string, string>();
/** Unpersonalized grids, one per prompt: the reference every axis is compared with. */
const plain: FloatImage[][] = [];
let plainBytes: Uint8Array[][] = [];

/** What a worker renders for a prompt (the mapping of workers/handlers/generate.ts for imagine jobs). */
async function render(prompt: string): Promise<{ params: TJobParams; images: Array<{ data: Uint8Array; float: FloatImage }> }> {
  const plan = await planImagine(context, userId, { prompt });
  const params = plan.paramsWithSeed(plan.recipe.seed!);
  if (params.kind !== "imagine") throw new Error("expected an imagine job");
  const result = await generate(model, {
    kind: "imagine",
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    seed: params.seed,
    quality: params.quality,
    width: params.width,
    height: params.height,
    count: params.count,
    ...(params.personalize && { steering: params.personalize.axes.map(({ negative, positive, coefficient }) => ({ negative, positive, coefficient })) }),
  });
  return { params, images: result.images.map((generated) => ({ data: generated.image.data, float: toFloatImage(generated.image) })) };
}

const promptFor = (p: number, extra = "") => `${PROMPTS[p]} --draft --seed ${31 + 10 * p}${extra}`;

beforeAll(async () => {
  const user = await seedUser(db);
  userId = user.id;
  // Jobs without --p stay unpersonalized for this user (the reference).
  await db.user.update({ where: { id: userId }, data: { personalize: false } });
  ({ axes } = await modelStyle(MODELS_DIR, MODEL));
  const k = axes.length;
  for (const [i, axis] of axes.entries()) {
    // A confident profile (posterior sd 0.1) that cares about this axis only.
    const code = profileCode(`${userId}:axis-test`, i);
    const weights = axes.map((_, j) => (j === i ? 2.5 * (POLES[axis.id] ?? 1) : 0));
    await db.profileVersion.create({
      data: { code, userId, modelId: MODEL, weights, bias: 0, covariance: Array.from({ length: k * k }, (_, j) => (j % (k + 1) === 0 ? 0.01 : 0)), answers: 200, skips: 0, metrics: {} },
    });
    codes.set(axis.id, code);
  }
  model = await loadModel(path.join(MODELS_DIR, MODEL));
  const grids = await Promise.all(PROMPTS.map((_, p) => render(promptFor(p))));
  for (const grid of grids) expect(grid.params.personalize).toBeUndefined();
  plain.push(...grids.map((grid) => grid.images.map((image) => image.float)));
  plainBytes = grids.map((grid) => grid.images.map((image) => image.data));
}, 120_000);

afterAll(async () => {
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
});

describe("personalized generation moves every style axis of mirage-tiny the preferred way", () => {
  it("every axis of the manifest has a pole and a pixel statistic", () => {
    expect(axes.map((axis) => axis.id).sort()).toEqual(Object.keys(POLES).sort());
    for (const axis of axes) expect(STATISTICS[axis.statistic ?? ""], axis.id).toBeDefined();
  });

  it.each(Object.entries(POLES))("%s (pole %i): ≥ 12/16 at --s 1000, more than at --s 100, identical at --s 0", async (axisId, pole) => {
    const axis = axes.find((candidate) => candidate.id === axisId)!;
    const statistic = STATISTICS[axis.statistic!]!;
    const code = codes.get(axisId)!;
    let moved100 = 0;
    let moved1000 = 0;
    let shift100 = 0;
    let shift1000 = 0;
    for (let p = 0; p < PROMPTS.length; p++) {
      const [zero, at100, at1000] = await Promise.all([0, 100, 1000].map((s) => render(promptFor(p, ` --p ${code} --s ${s}`))));
      // --s 0: zero coefficients, so the very same pixels as without personalization.
      expect(zero!.params.personalize?.axes.every((entry) => entry.coefficient === 0)).toBe(true);
      zero!.images.forEach((image, i) => expect(Buffer.compare(Buffer.from(image.data), Buffer.from(plainBytes[p]![i]!)), `${axisId} ${PROMPTS[p]} #${i} at --s 0`).toBe(0));
      expect(at1000!.params.personalize?.axes.find((entry) => entry.id === axisId)?.coefficient).toBeCloseTo(pole * (axis.gain ?? 1) * Math.tanh(2.5 / Math.sqrt(1 + (Math.PI * 0.01) / 8)), 10);
      for (let i = 0; i < 4; i++) {
        const base = statistic(plain[p]![i]!);
        const d100 = pole * (statistic(at100!.images[i]!.float) - base);
        const d1000 = pole * (statistic(at1000!.images[i]!.float) - base);
        if (d100 > 0) moved100++;
        if (d1000 > 0) moved1000++;
        shift100 += d100 / 16;
        shift1000 += d1000 / 16;
      }
    }
    const phrase = pole > 0 ? axis.positive : axis.negative;
    const summary = `${axisId} → "${phrase}" (γ ${axis.gain ?? 1}, ${axis.statistic}): moved the preferred way at --s 100 ${moved100}/16 (mean ${shift100.toExponential(2)}), at --s 1000 ${moved1000}/16 (mean ${shift1000.toExponential(2)})`;
    console.info(summary);
    expect(moved1000, summary).toBeGreaterThanOrEqual(12);
    expect(shift1000, summary).toBeGreaterThan(shift100);
    expect(shift100, summary).toBeGreaterThan(0);
  }, 120_000);
});
