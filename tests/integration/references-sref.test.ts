import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { meanSaturation, toFloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import { ZJobParams } from "@/lib/jobs/registry";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import type { TJobView } from "@/lib/schemas/jobs";
import { createImagineJobs, planImagine } from "@/lib/server/jobs/create-imagine-jobs";
import { createRerunJob } from "@/lib/server/jobs/derive-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { createUpload } from "@/lib/server/uploads/uploads";
import { createLocalStore } from "@/lib/storage/local";
import { readImagePixels } from "@/workers/image-files";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext, FIXTURE_MODEL, FIXTURE_MODELS_DIR, startWorker, stopWorker } from "../support/worker-process";

/**
 * `--sref` through a real worker process and the bundled mirage-tiny
 * (docs/references.md): a muted reference image lowers the outputs'
 * saturation on 16 prompt–seed pairs (4 prompts × a grid of 4 seeds), more at
 * --sw 400 than at --sw 50, and --sw 0 is bit-identical to no reference; a
 * style code gives the same images twice; `--sref random` records the code it
 * drew and a rerun reproduces the images; another user's image is not found;
 * a model without measurable style axes answers 400.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS_DIR = path.join(ROOT, "models");
const MODEL = "mirage-tiny";
const PROMPTS = ["a red boat", "a yellow star", "a green tree", "a blue house"];
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-sref`;
let storageDir = "";
let worker: ChildProcess;
let principal: Principal;
let otherUserId = "";
let mutedId = "";
let context: ReturnType<typeof createTestJobContext> & { storage: ReturnType<typeof createLocalStore> };

async function waitForJob(jobId: string, timeoutMs = 180_000): Promise<TJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJobForUser(db, principal.userId, jobId);
    if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function imagesOf(jobId: string) {
  const job = await waitForJob(jobId);
  expect(job.status, job.error ?? "").toBe("completed");
  const rows = await db.image.findMany({ where: { jobId }, orderBy: { index: "asc" }, select: { storageKey: true } });
  const row = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { params: true, recipe: true } });
  return { params: ZJobParams.parse(row.params), recipe: row.recipe as { styleRefs?: { kind: string; value: string }[] }, images: await Promise.all(rows.map((image) => readImagePixels(storageDir, image.storageKey))) };
}

async function grid(prompt: string) {
  const created = await createImagineJobs(context, principal, { prompt });
  return imagesOf(created.id);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-sref-"));
  const user = await seedUser(db);
  principal = { userId: user.id, email: user.email, role: "user", via: "token" };
  otherUserId = (await seedUser(db)).id;
  await db.user.update({ where: { id: user.id }, data: { personalize: false } });
  context = { ...createTestJobContext(db, redis, prefix, { modelsDir: MODELS_DIR, defaultModelId: MODEL }), storage: createLocalStore(storageDir) };
  // Muted: greys and a dusty shape, mid brightness (saturation ≈ 0.1, far below mirage-tiny's typical 0.5).
  const shape = await sharp({ create: { width: 120, height: 120, channels: 3, background: { r: 150, g: 138, b: 132 } } }).png().toBuffer();
  const muted = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 126, g: 124, b: 121 } } })
    .composite([{ input: shape, left: 68, top: 68 }])
    .png()
    .toBuffer();
  mutedId = (await createUpload({ db, storage: context.storage, log: createLogger("test", "silent") }, user.id, muted)).id;
  worker = startWorker({ prefix, storageDir, workerId: "sref-test-worker", env: { MODELS_DIR } });
}, 120_000);

afterAll(async () => {
  await stopWorker(worker);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("--sref with mirage-tiny", () => {
  it("a muted reference mutes 16 prompt–seed pairs, more at --sw 400 than at --sw 50; --sw 0 is bit-identical", async () => {
    const moved: Record<number, number> = { 50: 0, 100: 0, 400: 0 };
    const shift: Record<number, number> = { 50: 0, 100: 0, 400: 0 };
    for (const [p, prompt] of PROMPTS.entries()) {
      const base = `${prompt} --draft --seed ${41 + 10 * p}`;
      const plain = await grid(base);
      expect(plain.params.kind === "imagine" && plain.params.styleReference).toBeFalsy();
      const zero = await grid(`${base} --sref ${mutedId} --sw 0`);
      for (const [i, image] of zero.images.entries()) expect(same(image.data, plain.images[i]!.data), `${prompt} #${i} at --sw 0`).toBe(true);
      for (const sw of [50, 100, 400]) {
        const steered = await grid(`${base} --sref ${mutedId} --sw ${sw}`);
        if (steered.params.kind !== "imagine") throw new Error("expected an imagine job");
        expect(steered.params.styleReference?.refs[0]).toMatchObject({ source: "upload", ref: mutedId });
        expect(steered.params.styleReference?.refs[0]?.vector[0], "saturation of the muted reference").toBe(-1);
        steered.images.forEach((image, i) => {
          const delta = meanSaturation(toFloatImage(plain.images[i]!)) - meanSaturation(toFloatImage(image));
          if (delta > 0) moved[sw]!++;
          shift[sw]! += delta / 16;
        });
      }
    }
    const summary = `less saturated: --sw 50 ${moved[50]}/16 (mean −${shift[50]!.toFixed(3)}), --sw 100 ${moved[100]}/16 (−${shift[100]!.toFixed(3)}), --sw 400 ${moved[400]}/16 (−${shift[400]!.toFixed(3)})`;
    console.log(summary);
    expect(moved[400], summary).toBeGreaterThanOrEqual(14);
    expect(shift[400]!, summary).toBeGreaterThan(shift[50]!);
    expect(shift[50]!, summary).toBeGreaterThan(0);
  }, 900_000);

  it("a style code gives the same images twice; --sref random records its code and a rerun reproduces it", async () => {
    const base = "a pink flower --draft --seed 77";
    const first = await grid(`${base} --sref 1234567`);
    const second = await grid(`${base} --sref 1234567`);
    first.images.forEach((image, i) => expect(same(image.data, second.images[i]!.data)).toBe(true));
    const plain = await grid(base);
    expect(first.images.some((image, i) => !same(image.data, plain.images[i]!.data))).toBe(true);

    const created = await createImagineJobs(context, principal, { prompt: `${base} --sref random` });
    const random = await imagesOf(created.id);
    const code = random.recipe.styleRefs?.[0];
    expect(code?.kind).toBe("code");
    expect(code?.value).toMatch(/^[0-9]+$/);
    const rerun = await createRerunJob(context, principal, created.id, { exact: true });
    const again = await imagesOf(rerun.id);
    random.images.forEach((image, i) => expect(same(image.data, again.images[i]!.data)).toBe(true));
    // The recorded code, typed as a prompt, is the same style.
    const typed = await grid(`${base} --sref ${code!.value}`);
    random.images.forEach((image, i) => expect(same(image.data, typed.images[i]!.data)).toBe(true));
  }, 600_000);

  it("another user's image or upload is not found; a model without measurable axes is a 400 naming why", async () => {
    await expect(planImagine(context, otherUserId, { prompt: `a red boat --sref ${mutedId}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const fixture = { ...createTestJobContext(db, redis, prefix, { modelsDir: FIXTURE_MODELS_DIR, defaultModelId: FIXTURE_MODEL }), storage: context.storage };
    await expect(planImagine(fixture, principal.userId, { prompt: `a red boat --sref ${mutedId}` })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/cannot take style references.*statistic_range/) });
    await fixture.queue.close();
    await expect(planImagine(context, principal.userId, { prompt: "a red boat --sw 300" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(planImagine(context, principal.userId, { prompt: "a red boat --sref 0" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
