import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, loadModel } from "@/lib/diffusion";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { describeImage, type DescribeContext } from "@/lib/server/describe/describe-image";
import { createApiToken } from "@/lib/server/tokens";
import { createUpload } from "@/lib/server/uploads/uploads";
import { listOnlineWorkers } from "@/lib/server/workers";
import { createLocalStore } from "@/lib/storage/local";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * Describe end to end: the endpoint's refusals over real HTTP (the fixture
 * model has no describer and the test server no vision model), and the use
 * case through a real worker running mirage-tiny's describer on a render of a
 * known scene.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS_DIR = path.join(ROOT, "models");
const MODEL = "mirage-tiny";
const db = testDb();
const prefix = `${inject("redisPrefix")}-describe`;
const redis = createRedis(inject("redisUrl"), "request");
let server: RouteServer;
let worker: ChildProcess;
let storageDir = "";
let owner: { id: string; token: string };
let other: { id: string; token: string };
let context: DescribeContext;
let heartUpload = "";

async function user() {
  const seeded = await seedUser(db);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "describe")).token };
}

function describeOverHttp(who: { token: string }, body: unknown) {
  return fetch(`${server.url}/api/v1/describe`, { method: "POST", headers: { Authorization: `Bearer ${who.token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-describe-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startWorker({ prefix, storageDir, workerId: "describe-test-worker", env: { MODELS_DIR, WORKER_MODELS: MODEL } });
  owner = await user();
  other = await user();
  const storage = createLocalStore(storageDir);
  context = { ...createTestJobContext(db, redis, prefix, { modelsDir: MODELS_DIR, defaultModelId: MODEL }), storage, llm: null };
  // The image to describe: a draft render of a scene the prompt names, uploaded as a user would.
  const model = await loadModel(path.join(MODELS_DIR, MODEL));
  const made = await generate(model, { kind: "imagine", prompt: "a large red heart in the centre, under a night sky with stars", width: 128, height: 128, seed: 4242, quality: "draft", count: 1 });
  const image = made.images[0]!.image;
  const png = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
  const upload = await createUpload({ db, storage, log: createLogger("test", "silent") }, owner.id, png);
  heartUpload = upload.id;
}, 180_000);

afterAll(async () => {
  await stopWorker(worker);
  await server.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("POST /api/v1/describe", () => {
  it("answers 400 for a malformed request and 404 for someone else's upload", async () => {
    for (const body of [{}, { uploadId: "not an id!" }, { uploadId: heartUpload, imageId: "x" }]) {
      const response = await describeOverHttp(owner, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const foreign = await describeOverHttp(other, { uploadId: heartUpload });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(/No such upload/);
  });

  it("refuses a model that has no describer when no vision model is configured, and says so in the models list", async () => {
    const response = await describeOverHttp(owner, { uploadId: heartUpload });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Describe is not available/);
    const models = (await (await fetch(`${server.url}/api/v1/models`, { headers: { Authorization: `Bearer ${owner.token}` } })).json()) as { models: Array<{ canDescribe: boolean }> };
    expect(models.models.every((model) => model.canDescribe === false)).toBe(true);
  });
});

describe("describeImage through a worker with mirage-tiny", () => {
  it("gives four distinct prompts whose best names the render's subject, colour and background", async () => {
    await waitFor(async () => (await listOnlineWorkers(db)).some((w) => w.models.includes(MODEL)), 120_000, "the mirage-tiny worker");
    const result = await describeImage(context, owner.id, { uploadId: heartUpload });
    expect(result.describer).toBe("model");
    expect(result.prompts).toHaveLength(4);
    expect(new Set(result.prompts).size).toBe(4);
    expect(result.prompts[0]).toMatch(/^a large red heart .*under a night sky with stars/);
    await expect(describeImage(context, other.id, { uploadId: heartUpload })).rejects.toMatchObject({ code: "NOT_FOUND" });
  }, 180_000);
});
