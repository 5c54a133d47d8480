import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZJobParams } from "@/lib/jobs/registry";
import { profileCode } from "@/lib/personalization";
import { createRedis } from "@/lib/redis";
import type { TJobView } from "@/lib/schemas/jobs";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import { modelStyle } from "@/lib/server/personalization/axes";
import type { Principal } from "@/lib/server/principal";
import { readImagePixels } from "@/workers/image-files";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext, startWorker, stopWorker } from "../support/worker-process";

/**
 * Personalized generation through a real worker process and the real bundled
 * model (models/mirage-tiny): a profile that prefers dark images, used with
 * `--p CODE`, gives bit-identical images at `--s 0`, darker ones at `--s 100`
 * and darker still at `--s 1000`, on 4 prompts × 4 seeds = 16 prompt–seed pairs.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS_DIR = path.join(ROOT, "models");
const MODEL = "mirage-tiny";
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-steering`;
const context = createTestJobContext(db, redis, prefix, { modelsDir: MODELS_DIR, defaultModelId: MODEL });
let storageDir = "";
let worker: ChildProcess;
let principal: Principal;
let code = "";

async function waitForJob(jobId: string, timeoutMs = 120_000): Promise<TJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJobForUser(db, principal.userId, jobId);
    if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs one grid and returns its four images' pixels (seeds s … s+3). */
async function grid(prompt: string) {
  const created = await createImagineJobs(context, principal, { prompt });
  const job = await waitForJob(created.id);
  expect(job.status, job.error ?? "").toBe("completed");
  const rows = await db.image.findMany({ where: { jobId: job.id }, orderBy: { index: "asc" }, select: { storageKey: true, recipe: true } });
  const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { params: true, recipe: true } });
  return { job, params: ZJobParams.parse(row.params), images: await Promise.all(rows.map((image) => readImagePixels(storageDir, image.storageKey))), recipes: rows.map((image) => image.recipe) };
}

function meanLuminance(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 3) sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  return sum / (data.length / 3);
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-steering-"));
  const user = await seedUser(db);
  principal = { userId: user.id, email: user.email, role: "user", via: "token" };
  // A profile that prefers dark images (brightness −), confidently (small posterior variance).
  const { axes } = await modelStyle(MODELS_DIR, MODEL);
  const k = axes.length;
  const brightness = axes.findIndex((axis) => axis.id === "brightness");
  expect(brightness).toBeGreaterThanOrEqual(0);
  const weights = axes.map((_, i) => (i === brightness ? -2.5 : 0));
  code = profileCode(`${user.id}:steering-test`, 200);
  await db.profileVersion.create({
    data: { code, userId: user.id, modelId: MODEL, weights, bias: 0, covariance: Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 0.01 : 0)), answers: 200, skips: 0, metrics: {} },
  });
  // Jobs without --p stay unpersonalized for this user (the "off" reference).
  await db.user.update({ where: { id: user.id }, data: { personalize: false } });
  worker = startWorker({ prefix, storageDir, workerId: "steering-test-worker", env: { MODELS_DIR } });
});

afterAll(async () => {
  await stopWorker(worker);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("personalized generation (mirage-tiny)", () => {
  it("--s 0 is bit-identical to unpersonalized; a dark-loving profile darkens 16 prompt–seed pairs, more at --s 1000 than at --s 100", async () => {
    const prompts = ["a red boat", "a yellow star", "a green tree", "a blue house"];
    let darker100 = 0;
    let darker1000 = 0;
    let shift100 = 0;
    let shift1000 = 0;
    for (const [p, prompt] of prompts.entries()) {
      const seed = 31 + 10 * p;
      const off = await grid(`${prompt} --draft --seed ${seed}`);
      expect(off.params.personalize).toBeUndefined();
      const zero = await grid(`${prompt} --draft --seed ${seed} --p ${code} --s 0`);
      expect(zero.params.personalize?.codes).toEqual([code]);
      expect(zero.job.recipe).toMatchObject({ personalize: { enabled: true, codes: [code] } });
      for (const [i, image] of zero.images.entries()) expect(Buffer.compare(Buffer.from(image.data), Buffer.from(off.images[i]!.data)), `${prompt} #${i} at --s 0`).toBe(0);
      const s100 = await grid(`${prompt} --draft --seed ${seed} --p ${code} --s 100`);
      const s1000 = await grid(`${prompt} --draft --seed ${seed} --p ${code} --s 1000`);
      // The job records the exact steering; the images record what was applied.
      expect(s1000.params.personalize?.lambda).toBeCloseTo(1, 10);
      expect(s1000.params.personalize?.axes.find((axis) => axis.id === "brightness")?.coefficient).toBeLessThan(-0.5);
      expect(s1000.recipes[0]).toHaveProperty("steering");
      for (let i = 0; i < 4; i++) {
        const base = meanLuminance(off.images[i]!.data);
        const at100 = meanLuminance(s100.images[i]!.data);
        const at1000 = meanLuminance(s1000.images[i]!.data);
        if (at100 < base) darker100++;
        if (at1000 < base) darker1000++;
        shift100 += base - at100;
        shift1000 += base - at1000;
      }
    }
    const summary = `darker at --s 100: ${darker100}/16 (mean −${(shift100 / 16).toFixed(1)}), at --s 1000: ${darker1000}/16 (mean −${(shift1000 / 16).toFixed(1)})`;
    console.log(summary);
    expect(darker1000, summary).toBeGreaterThanOrEqual(12);
    expect(shift1000, summary).toBeGreaterThan(shift100);
    expect(shift100, summary).toBeGreaterThan(0);
  }, 600_000);
});
