import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, loadModel, type LoadedModel, type RgbImage } from "@/lib/diffusion";
import { Judge } from "@/lib/diffusion/eval/judge";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { planImagine } from "@/lib/server/jobs/create-imagine-jobs";
import { createUpload } from "@/lib/server/uploads/uploads";
import { createLocalStore } from "@/lib/storage/local";
import { engineRequest } from "@/workers/handlers/generate";
import { readImagePixels } from "@/workers/image-files";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext } from "../support/worker-process";

/**
 * What an image prompt does to the pictures, with the bundled mirage-tiny:
 * the more `--iw`, the closer the four images come to the uploaded image
 * (mean absolute pixel difference to it, cropped to the job's size as the
 * worker crops it), while at the default `--iw 1` the text still decides the
 * subject's colour as the model's judge reads it.
 *
 * Jobs are planned by the real acceptance path (`planImagine`: parser,
 * ownership of the upload, `--iw`) and rendered from the request the worker
 * builds for them (`engineRequest`: the stored upload read back and cropped),
 * in this process; uploads.test.ts runs the same through a worker over HTTP.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS_DIR = path.join(ROOT, "models");
const MODEL = "mirage-tiny";
/** Subjects whose colour the text names; the image prompt is a blue-and-yellow split, unlike any of them. */
const PROMPTS = [
  { text: "a red circle", colour: "red" },
  { text: "a green tree", colour: "green" },
  { text: "a pink heart", colour: "pink" },
  { text: "an orange fish", colour: "orange" },
];
const WEIGHTS = [1, 2, 3] as const;

const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const context = createTestJobContext(db, redis, `${inject("redisPrefix")}-image-prompt`, { modelsDir: MODELS_DIR, defaultModelId: MODEL });
let storageDir = "";
let userId = "";
let uploadId = "";
let model: LoadedModel;
let judge: Judge;

/** The four images of one prompt, as a worker renders the job `planImagine` accepts. */
async function render(prompt: string, withImage: boolean): Promise<{ images: RgbImage[]; strength: unknown }> {
  const plan = await planImagine(context, userId, { prompt, ...(withImage && { imagePrompt: { uploadId } }) });
  const params = plan.paramsWithSeed(plan.recipe.seed!);
  const result = await generate(model, await engineRequest(params, storageDir));
  return { images: result.images.map((generated) => generated.image), strength: result.images[0]!.recipe.strength };
}

function meanAbsDifference(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-image-prompt-"));
  userId = (await seedUser(db)).id;
  // Left half deep blue, right half yellow: far from every subject colour the prompts name.
  const half = (colour: { r: number; g: number; b: number }) => sharp({ create: { width: 200, height: 400, channels: 3, background: colour } }).png().toBuffer();
  const split = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#000" } })
    .composite([
      { input: await half({ r: 20, g: 50, b: 200 }), left: 0, top: 0 },
      { input: await half({ r: 240, g: 210, b: 30 }), left: 200, top: 0 },
    ])
    .png()
    .toBuffer();
  const upload = await createUpload({ db, storage: createLocalStore(storageDir), log: createLogger("test", "silent") }, userId, split);
  uploadId = upload.id;
  model = await loadModel(path.join(MODELS_DIR, MODEL));
  judge = await Judge.load(path.join(MODELS_DIR, MODEL, "eval"));
}, 120_000);

afterAll(async () => {
  await judge?.dispose();
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("an image prompt steers mirage-tiny's images towards it, by --iw", () => {
  it("comes closer to the image with every step of --iw, while --iw 1 keeps the text's colour", async () => {
    const distance: Record<string, number[]> = { none: [], ...Object.fromEntries(WEIGHTS.map((weight) => [`iw${weight}`, []])) };
    const colourKept: Record<string, number> = { none: 0, iw1: 0, iw2: 0, iw3: 0 };
    for (const [p, { text, colour }] of PROMPTS.entries()) {
      const seed = 11 + 7 * p;
      const plain = await render(`${text} --seed ${seed}`, false);
      const reference = await readImagePixels(storageDir, (await db.upload.findUniqueOrThrow({ where: { id: uploadId } })).storageKey, plain.images[0]!);
      const runs: Array<[string, RgbImage[]]> = [["none", plain.images]];
      for (const weight of WEIGHTS) {
        const prompted = await render(`${text} --seed ${seed} --iw ${weight}`, true);
        expect(prompted.strength).toBeCloseTo(0.9 - 0.2 * weight, 10);
        runs.push([`iw${weight}`, prompted.images]);
      }
      for (const [key, images] of runs) {
        for (const image of images) {
          distance[key]!.push(meanAbsDifference(image, reference));
          if ((await judge.classify(image)).colour === colour) colourKept[key]! += 1;
        }
      }
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const closerAt3 = distance.iw3!.filter((value, i) => value < distance.none![i]!).length;
    const summary = `mean |Δ| to the image prompt: none ${mean(distance.none!).toFixed(1)}, --iw 1 ${mean(distance.iw1!).toFixed(1)}, --iw 2 ${mean(distance.iw2!).toFixed(1)}, --iw 3 ${mean(distance.iw3!).toFixed(1)}; closer at --iw 3 than without on ${closerAt3}/16; subject colour as the text says: none ${colourKept.none}/16, --iw 1 ${colourKept.iw1}/16, --iw 2 ${colourKept.iw2}/16, --iw 3 ${colourKept.iw3}/16`;
    console.info(summary);
    expect(mean(distance.iw1!), summary).toBeLessThan(mean(distance.none!));
    expect(mean(distance.iw2!), summary).toBeLessThan(mean(distance.iw1!));
    expect(mean(distance.iw3!), summary).toBeLessThan(mean(distance.iw2!));
    expect(closerAt3, summary).toBeGreaterThanOrEqual(14);
    expect(colourKept.iw1, summary).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
