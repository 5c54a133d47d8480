import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startProtocolServer, type ProtocolServer } from "../support/protocol-server";
import { FIXTURE_MODEL, startWorker, stopWorker } from "../support/worker-process";

/**
 * The AUTOMATIC1111-compatible /sdapi/v1 with raw payloads shaped like the
 * ones Open WebUI (backend/open_webui/routers/images.py: Basic auth from
 * "user:password", options read then posted back whole, txt2img with
 * prompt, batch_size, width, height, steps, negative_prompt plus the admin's
 * extra params) and SillyTavern (the stable-diffusion extension through its
 * /api/sd/generate proxy: url and auth fields, sampler_name, scheduler,
 * steps, cfg_scale, hires-fix fields, override_settings, save_images…)
 * send, against the real route modules, Postgres, Redis and a worker.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-a1111`;
let server: ProtocolServer;
let worker: ChildProcess;
let storageDir = "";
let token = "";
let userId = "";

function basic(password: string) {
  return `Basic ${Buffer.from(`openwebui:${password}`).toString("base64")}`;
}

async function call(route: string, init: { method?: string; body?: unknown; authorization?: string } = {}) {
  const response = await fetch(`${server.url}/sdapi/v1/${route}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: init.authorization ?? basic(token), ...(init.body !== undefined && { "content-type": "application/json" }) },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { images?: string[]; info?: string; detail?: string } };
}

/** What SillyTavern's extension posts (its defaults), with the proxy's url/auth fields still in. */
function sillyTavernPayload(overrides: Record<string, unknown> = {}) {
  return {
    url: "http://127.0.0.1:7860",
    auth: `user:${token}`,
    prompt: "a cosy tavern interior, warm light",
    negative_prompt: "lowres, bad anatomy",
    sampler_name: "DDIM",
    scheduler: "normal",
    steps: 8,
    cfg_scale: 7,
    width: 512,
    height: 512,
    restore_faces: false,
    enable_hr: false,
    hr_upscaler: "Latent",
    hr_scale: 1,
    denoising_strength: 0.7,
    hr_second_pass_steps: 0,
    seed: 1234,
    override_settings: { CLIP_stop_at_last_layers: 1 },
    override_settings_restore_afterwards: true,
    clip_skip: 1,
    save_images: true,
    send_images: true,
    do_not_save_grid: false,
    do_not_save_samples: false,
    ...overrides,
  };
}

async function pngOf(base64: string) {
  const meta = await sharp(Buffer.from(base64, "base64")).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-a1111-"));
  server = await startProtocolServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startWorker({ prefix, storageDir, workerId: "a1111-test-worker", env: { WORKER_MODELS: FIXTURE_MODEL } });
  const user = await seedUser(db);
  userId = user.id;
  token = (await createApiToken(db, user.id, "a1111")).token;
});

afterAll(async () => {
  await stopWorker(worker);
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("AUTOMATIC1111 API", () => {
  it("refuses a missing or wrong token, takes Basic (token as password) and Bearer", async () => {
    expect((await call("sd-models", { authorization: "" })).status).toBe(401);
    expect((await call("sd-models", { authorization: basic("mrg_wrong") })).status).toBe(401);
    expect((await call("sd-models", { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("lists models and samplers; options round-trip the caller's default model the way Open WebUI sets it", async () => {
    const models = (await call("sd-models")).json as unknown as Array<{ title: string; model_name: string }>;
    expect(models.map((model) => model.title)).toContain(FIXTURE_MODEL);
    const samplers = (await call("samplers")).json as unknown as Array<{ name: string }>;
    expect(samplers.map((sampler) => sampler.name)).toEqual(expect.arrayContaining(["Euler a", "DPM++ 2M Karras", "DDIM"]));

    const options = (await call("options")).json;
    expect(options.sd_model_checkpoint).toBe(FIXTURE_MODEL);
    // Open WebUI posts the options object back with the checkpoint changed.
    expect((await call("options", { body: { ...options, sd_model_checkpoint: "tiny-lcm [abc123]" } })).status).toBe(200);
    expect((await call("options")).json.sd_model_checkpoint).toBe("tiny-lcm");
    expect((await db.user.findUniqueOrThrow({ where: { id: userId }, select: { defaultModel: true } })).defaultModel).toBe("tiny-lcm");
    const unknown = await call("options", { body: { sd_model_checkpoint: "sdxl-base.safetensors" } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/Unknown checkpoint/);
    await call("options", { body: { sd_model_checkpoint: FIXTURE_MODEL } });
  });

  it("txt2img as Open WebUI sends it: batch_size images, base64 PNGs, info with seed and all_seeds", async () => {
    const { status, json } = await call("txt2img", { body: { prompt: "a lighthouse at dusk", batch_size: 2, width: 512, height: 512, steps: 4, negative_prompt: "blurry", cfg_scale: 5 } });
    expect(status).toBe(200);
    expect(json.images).toHaveLength(2);
    for (const image of json.images!) expect(await pngOf(image)).toEqual({ format: "png", width: 64, height: 64 });
    const info = JSON.parse(json.info!) as { seed: number; all_seeds: number[] };
    expect(info.all_seeds).toEqual([info.seed, (info.seed + 1) % 2 ** 32]);
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { params: true, status: true, source: true } });
    expect(job).toMatchObject({ status: "completed", source: "a1111", params: { kind: "imagine", count: 2, negativePrompt: "blurry", sampler: { steps: 4, guidance: 5 } } });
  });

  it("txt2img as SillyTavern sends it: the same seed and settings give the same bytes; another sampler does not", async () => {
    const first = await call("txt2img", { body: sillyTavernPayload() });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.json.info!)).toMatchObject({ seed: 1234, all_seeds: [1234] });
    const second = await call("txt2img", { body: sillyTavernPayload() });
    expect(second.json.images![0]).toBe(first.json.images![0]);
    const euler = await call("txt2img", { body: sillyTavernPayload({ sampler_name: "Euler a" }) });
    expect(euler.status).toBe(200);
    expect(euler.json.images![0]).not.toBe(first.json.images![0]);
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { params: true } });
    expect(job.params).toMatchObject({ seed: 1234, sampler: { scheduler: "EulerAncestralDiscreteScheduler", steps: 8, guidance: 7 } });
  });

  it("runs the solvers A1111 users pick: DPM++ 2M SDE Karras carries its options into the job, UniPC and Heun render", async () => {
    // SillyTavern's payload names the "normal" schedule, which would override the name's Karras; Automatic keeps it.
    const sde = await call("txt2img", { body: sillyTavernPayload({ sampler_name: "DPM++ 2M SDE Karras", scheduler: "Automatic" }) });
    expect(sde.status).toBe(200);
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { params: true } });
    expect(job.params).toMatchObject({
      sampler: { scheduler: "DPMSolverMultistepScheduler", karras: true, schedulerOptions: { algorithm_type: "sde-dpmsolver++", solver_order: 2 } },
    });
    for (const sampler_name of ["UniPC", "Heun"]) expect((await call("txt2img", { body: sillyTavernPayload({ sampler_name }) })).status).toBe(200);
  });

  it("refuses an unknown sampler with the known ones, and a bad body with 422", async () => {
    const unknown = await call("txt2img", { body: sillyTavernPayload({ sampler_name: "DPM2 a" }) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/Unknown sampler "DPM2 a".*Euler a.*DPM\+\+ 2M Karras.*UniPC/);
    expect((await call("txt2img", { body: { prompt: "x", steps: 0 } })).status).toBe(422);
  });

  it("img2img from init_images at a denoising strength; progress and interrupt answer", async () => {
    const init = (await sharp({ create: { width: 128, height: 128, channels: 3, background: { r: 240, g: 200, b: 20 } } }).png().toBuffer()).toString("base64");
    const { status, json } = await call("img2img", { body: { prompt: "a yellow flower", init_images: [`data:image/png;base64,${init}`], denoising_strength: 0.5, seed: 7, steps: 6 } });
    expect(status).toBe(200);
    expect(await pngOf(json.images![0]!)).toEqual({ format: "png", width: 64, height: 64 });
    expect(JSON.parse(json.info!)).toMatchObject({ seed: 7, denoising_strength: 0.5 });
    const job = await db.job.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" }, select: { params: true } });
    expect(job.params).toMatchObject({ kind: "imagine", imagePrompt: { weight: 2 } });

    const progress = await call("progress");
    expect(progress.json).toMatchObject({ progress: 0, state: { job_count: 0 } });
    expect((await call("interrupt", { method: "POST" })).status).toBe(200);
  });
});
