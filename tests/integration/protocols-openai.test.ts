import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI, { AuthenticationError, BadRequestError, RateLimitError, toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lockUsageAccount } from "@/lib/server/accounting/account";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startProtocolServer, type ProtocolServer } from "../support/protocol-server";
import { FIXTURE_MODEL, startWorker, stopWorker } from "../support/worker-process";

/**
 * The OpenAI-compatible /v1 API driven by the official `openai` SDK against
 * the real route modules, Postgres, Redis and a worker on the fixture model:
 * what an Open WebUI or LibreChat configured with a Mirage token does.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-openai`;
let server: ProtocolServer;
let worker: ChildProcess;
let storageDir = "";
let client: OpenAI;
let userId = "";

async function userClient() {
  const user = await seedUser(db);
  const { token } = await createApiToken(db, user.id, "openai-sdk");
  return { user, client: new OpenAI({ apiKey: token, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 150_000 }) };
}

const png = (width: number, height: number, colour = { r: 200, g: 40, b: 40 }) =>
  sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

async function pngSize(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  expect(meta.format).toBe("png");
  return { width: meta.width, height: meta.height };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-openai-"));
  server = await startProtocolServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startWorker({ prefix, storageDir, workerId: "openai-test-worker", env: { WORKER_MODELS: FIXTURE_MODEL } });
  const made = await userClient();
  client = made.client;
  userId = made.user.id;
});

afterAll(async () => {
  await stopWorker(worker);
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("OpenAI SDK against /v1", () => {
  it("lists the installed models", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain(FIXTURE_MODEL);
  });

  it("generates as b64_json; --ar in the prompt wins over size; the job is in the gallery with its recipe", async () => {
    const result = await client.images.generate({ model: "dall-e-3", prompt: "a red boat at sea --ar 16:9", size: "1024x1024", response_format: "b64_json" });
    expect(result.data).toHaveLength(1);
    const bytes = Buffer.from(result.data![0]!.b64_json!, "base64");
    // The fixture's 16:9 bucket, not 1:1.
    expect(await pngSize(bytes)).toEqual({ width: 80, height: 48 });
    expect(result.data![0]!.revised_prompt).toBe("a red boat at sea");
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { status: true, recipe: true, chargedMs: true, source: true } });
    expect(job.status).toBe("completed");
    // Organize says which tool made it.
    expect(job.source).toBe("openai");
    expect(job.recipe).toMatchObject({ prompt: "a red boat at sea", aspectRatio: { width: 16, height: 9 } });
  });

  it("generates n = 5 as two grids of signed URLs that work without a header, and only unaltered and unexpired", async () => {
    const result = await client.images.generate({ prompt: "a lighthouse", n: 5, size: "1792x1024", quality: "low" });
    expect(result.data).toHaveLength(5);
    const urls = result.data!.map((item) => item.url!);
    expect(new Set(urls).size).toBe(5);
    const file = await fetch(urls[0]!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(await pngSize(Buffer.from(await file.arrayBuffer()))).toEqual({ width: 80, height: 48 });
    const jobs = await db.job.findMany({ where: { userId, prompt: "a lighthouse" }, select: { recipe: true } });
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.recipe).toMatchObject({ draft: true });

    const url = new URL(urls[0]!);
    const tampered = new URL(url);
    const signature = url.searchParams.get("signature")!;
    tampered.searchParams.set("signature", `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`);
    expect((await fetch(tampered)).status).toBe(404);
    const otherImage = new URL(urls[1]!);
    otherImage.pathname = url.pathname;
    expect((await fetch(otherImage)).status).toBe(404);
    const extended = new URL(url);
    extended.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    expect((await fetch(extended)).status).toBe(404);
    const expired = new URL(url);
    expired.searchParams.set("expires", "1000");
    expect((await fetch(expired)).status).toBe(404);
  });

  it("makes variations of an uploaded image", async () => {
    const result = await client.images.createVariation({ image: await toFile(await png(120, 120), "source.png", { type: "image/png" }), n: 2, response_format: "b64_json" });
    expect(result.data).toHaveLength(2);
    for (const item of result.data!) expect(await pngSize(Buffer.from(item.b64_json!, "base64"))).toEqual({ width: 64, height: 64 });
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { params: true } });
    expect(job.params).toMatchObject({ kind: "imagine", imagePrompt: { weight: 3 } });
  });

  it("edits without a mask (image-to-image) and with one (the Editor's region edit)", async () => {
    const image = await png(160, 96, { r: 30, g: 90, b: 200 });
    const plain = await client.images.edit({ image: await toFile(image, "photo.png", { type: "image/png" }), prompt: "the same scene at night", response_format: "b64_json" });
    expect(await pngSize(Buffer.from(plain.data![0]!.b64_json!, "base64"))).toEqual({ width: 80, height: 48 });
    const plainJob = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { type: true, params: true } });
    expect(plainJob).toMatchObject({ type: "imagine", params: { kind: "imagine", imagePrompt: { weight: 1 } } });

    // OpenAI's convention: the transparent part of the mask is edited (here the left half).
    const rgba = Buffer.alloc(160 * 96 * 4);
    for (let pixel = 0; pixel < 160 * 96; pixel++) rgba[pixel * 4 + 3] = pixel % 160 < 80 ? 0 : 255;
    const mask = await sharp(rgba, { raw: { width: 160, height: 96, channels: 4 } }).png().toBuffer();
    const masked = await client.images.edit({
      image: await toFile(image, "photo.png", { type: "image/png" }),
      mask: await toFile(mask, "mask.png", { type: "image/png" }),
      prompt: "a yellow sun",
      response_format: "url",
    });
    expect(masked.data).toHaveLength(1);
    expect((await fetch(masked.data![0]!.url!)).status).toBe(200);
    const maskedJob = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { type: true, params: true } });
    expect(maskedJob.params).toMatchObject({ kind: "edit", edit: { kind: "region" } });

    const opaque = await png(160, 96);
    await expect(
      client.images.edit({ image: await toFile(image, "photo.png", { type: "image/png" }), mask: await toFile(opaque, "mask.png", { type: "image/png" }), prompt: "x" }),
    ).rejects.toThrow(/no transparent pixels/);
  });

  it("raises the SDK's error classes: a bad key, a bad request, no fast time", async () => {
    const stranger = new OpenAI({ apiKey: "mrg_not-a-token", baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(AuthenticationError);

    const badRequest = await client.images.generate({ prompt: "a cat", n: 11 }).catch((error: unknown) => error);
    expect(badRequest).toBeInstanceOf(BadRequestError);
    expect((badRequest as BadRequestError).param).toBe("n");
    await expect(client.images.generate({ prompt: "a cat --ar 0:1" })).rejects.toBeInstanceOf(BadRequestError);
    // n = 9 is three grids of four, one more than the Basic plan's --r cap of 2: said in the client's terms.
    const basic = await userClient();
    await db.user.update({ where: { id: basic.user.id }, data: { plan: { connect: { name: "Basic" } } } });
    await expect(basic.client.images.generate({ prompt: "a cat", n: 9 })).rejects.toThrow(/n = 9 needs 3 grids of four; the Basic plan makes at most 2 at once, so n can be at most 8/);
    await expect(client.images.generate({ prompt: "a cat", model: "no-such-model" })).rejects.toBeInstanceOf(BadRequestError);

    const broke = await userClient();
    await db.$transaction((tx) => lockUsageAccount(tx, broke.user.id));
    await db.usageAccount.update({ where: { userId: broke.user.id }, data: { allowanceMs: 0n } });
    const noQuota = await broke.client.images.generate({ prompt: "a cat" }).catch((error: unknown) => error);
    expect(noQuota).toBeInstanceOf(RateLimitError);
    expect((noQuota as RateLimitError).code).toBe("insufficient_quota");
    expect((noQuota as RateLimitError).message).toMatch(/fast time/);
    expect(await db.job.count({ where: { userId: broke.user.id } })).toBe(0);
  });
});
