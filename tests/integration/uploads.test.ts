import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { imagePath } from "@/lib/storage";
import { createApiToken } from "@/lib/server/tokens";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { startWorker, stopWorker } from "../support/worker-process";

/**
 * Image prompts over real HTTP (the studio's route handlers), Postgres, Redis
 * and a real worker: uploads are checked and re-encoded, private to their
 * owner, capped in bytes before buffering and in rate, and a job that starts from one
 * runs with the image as its img2img init. What the image does to the
 * pictures is measured with the bundled model in image-prompt.test.ts.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-uploads`;
let server: RouteServer;
let worker: ChildProcess;
let storageDir = "";
let owner: { id: string; token: string };
let other: { id: string; token: string };

async function user() {
  const seeded = await seedUser(db);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "uploads")).token };
}

function api(who: { token: string }, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${who.token}`, ...init.headers } });
}

async function upload(who: { token: string }, bytes: Uint8Array, type = "image/png") {
  // A copy with its own ArrayBuffer: what fetch accepts as a body.
  const body = new Uint8Array(bytes);
  return api(who, "/api/v1/uploads", { method: "POST", headers: { "Content-Type": type }, body });
}

async function errorOf(response: Response) {
  return { status: response.status, message: ((await response.json()) as { error: { message: string } }).error.message };
}

const redSquare = () => sharp({ create: { width: 96, height: 96, channels: 3, background: { r: 220, g: 30, b: 30 } } }).png().toBuffer();

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-uploads-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startWorker({ prefix, storageDir, workerId: "uploads-test-worker" });
  owner = await user();
  other = await user();
});

afterAll(async () => {
  await stopWorker(worker);
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("POST /api/v1/uploads", () => {
  it("stores a re-encoded PNG and thumbnail that only the owner can read, list and delete", async () => {
    const jpeg = await sharp({ create: { width: 300, height: 150, channels: 3, background: { r: 0, g: 90, b: 200 } } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Make: "SecretCam" } } })
      .toBuffer();
    const response = await upload(owner, jpeg, "image/jpeg");
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; width: number; height: number; url: string; thumbUrl: string };
    expect(created).toMatchObject({ width: 300, height: 150 });

    const file = await api(owner, created.url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    const stored = Buffer.from(await file.arrayBuffer());
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes(Buffer.from("SecretCam"))).toBe(false);
    expect((await api(owner, created.thumbUrl)).headers.get("content-type")).toBe("image/webp");

    // Someone else: not found, whatever they try.
    expect((await api(other, created.url)).status).toBe(404);
    expect((await api(other, `/api/v1/uploads/${created.id}`, { method: "DELETE" })).status).toBe(404);
    const otherList = (await (await api(other, "/api/v1/uploads")).json()) as { uploads: unknown[] };
    expect(otherList.uploads).toEqual([]);
    const ownList = (await (await api(owner, "/api/v1/uploads")).json()) as { uploads: Array<{ id: string }> };
    expect(ownList.uploads.map((entry) => entry.id)).toContain(created.id);
    // Anonymous: 401.
    expect((await fetch(`${server.url}/api/v1/uploads`, { method: "POST", headers: { "Content-Type": "image/png" }, body: await redSquare() })).status).toBe(401);

    // Delete: row and both files go.
    const row = await db.upload.findUniqueOrThrow({ where: { id: created.id } });
    expect(existsSync(imagePath(storageDir, row.storageKey, "full"))).toBe(true);
    expect((await api(owner, `/api/v1/uploads/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await db.upload.count({ where: { id: created.id } })).toBe(0);
    expect(existsSync(imagePath(storageDir, row.storageKey, "full"))).toBe(false);
    expect(existsSync(imagePath(storageDir, row.storageKey, "thumb"))).toBe(false);
    expect((await api(owner, created.url)).status).toBe(404);
  });

  it("refuses what is not an accepted image with a 4xx naming the problem, and stores nothing", async () => {
    const before = await db.upload.count({ where: { userId: owner.id } });
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#0f0" } }).gif().toBuffer();
    expect(await errorOf(await upload(owner, gif, "image/png"))).toEqual({ status: 415, message: expect.stringMatching(/Only PNG, JPEG and WebP .* a GIF file/) });
    expect(await errorOf(await upload(owner, Buffer.from('{"a":1}'), "application/json"))).toEqual({ status: 415, message: expect.stringMatching(/Content-Type: image\/png/) });
    expect(await errorOf(await upload(owner, new Uint8Array(0)))).toEqual({ status: 400, message: expect.stringMatching(/empty/) });
    const png = await redSquare();
    expect(await errorOf(await upload(owner, png.subarray(0, png.length - 40)))).toEqual({ status: 400, message: expect.stringMatching(/truncated or damaged/) });
    expect(await db.upload.count({ where: { userId: owner.id } })).toBe(before);
  });

  it("refuses a body over the byte cap before buffering it: declared or streamed", async () => {
    // Declared: the Content-Length alone is enough.
    const big = new Uint8Array(UPLOAD_LIMITS.maxBytes + 1);
    expect(await errorOf(await upload(owner, big))).toEqual({ status: 413, message: "The file is larger than 10 MiB." });
    // Streamed without a length (chunked): cut off once it passes the cap, while the client is still sending.
    const result = await new Promise<{ status: number; sentWhenAnswered: number }>((resolve, reject) => {
      const url = new URL(`${server.url}/api/v1/uploads`);
      let sent = 0;
      const req = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "image/png", "Transfer-Encoding": "chunked" } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent });
        req.destroy();
      });
      req.on("error", (error) => (sent > 0 ? undefined : reject(error)));
      const chunk = Buffer.alloc(256 * 1024);
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeLessThan(32 * 1024 * 1024);
  });

  it(`limits a user to ${UPLOAD_LIMITS.perMinute} uploads a minute (429 with Retry-After)`, async () => {
    const eager = await user();
    const png = await redSquare();
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let n = 0; n <= UPLOAD_LIMITS.perMinute; n++) {
      const answer = await upload(eager, png);
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
      else await answer.body?.cancel();
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(UPLOAD_LIMITS.perMinute);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(refused!)).message).toMatch(/Too many uploads: at most 30 a minute\. Try again in \d+ s\./);
    // Others are not affected.
    expect((await upload(await user(), png)).status).toBe(201);
  });

  it(`holds at most ${UPLOAD_LIMITS.inFlightPerUser} uploads of one user in progress; a third waits for them (429)`, async () => {
    const slow = await user();
    const png = await redSquare();
    // Two uploads whose bodies arrive slowly: half now, the rest later.
    const url = new URL(`${server.url}/api/v1/uploads`);
    const open = Array.from({ length: UPLOAD_LIMITS.inFlightPerUser }, () => {
      const req = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { Authorization: `Bearer ${slow.token}`, "Content-Type": "image/png", "Transfer-Encoding": "chunked" } });
      const answered = new Promise<number>((resolve, reject) => {
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
      });
      req.write(png.subarray(0, png.length / 2));
      return { req, answered };
    });
    // Both are inside their slot once the server has read part of their bodies.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await errorOf(await upload(slow, png))).toEqual({ status: 429, message: expect.stringMatching(/already have 2 uploads in progress/) });
    for (const { req } of open) req.end(png.subarray(png.length / 2));
    expect(await Promise.all(open.map(({ answered }) => answered))).toEqual([201, 201]);
    // Finished uploads free their slots.
    expect((await upload(slow, png)).status).toBe(201);
  });

  it("caps how many uploads a user keeps", async () => {
    const capped = await user();
    await db.upload.createMany({
      data: Array.from({ length: UPLOAD_LIMITS.maxPerUser }, (_, i) => ({ id: `cap-${capped.id}-${i}`, userId: capped.id, width: 1, height: 1, bytes: 1, storageKey: `${capped.id}/uploads/cap-${i}` })),
    });
    expect(await errorOf(await upload(capped, await redSquare()))).toEqual({ status: 409, message: expect.stringMatching(/200 uploaded images, the most Mirage keeps per user\. Delete some/) });
  });
});

describe("jobs with an image prompt", () => {
  async function submit(who: { token: string }, body: Record<string, unknown>) {
    return api(who, "/api/v1/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  it("run through the worker as img2img from the upload, at the strength --iw sets, and record it", async () => {
    const created = (await (await upload(owner, await redSquare())).json()) as { id: string };
    const estimate = await api(owner, "/api/v1/jobs/estimate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "a boat --iw 2 --seed 5", imagePrompt: { uploadId: created.id } }),
    });
    expect(estimate.status).toBe(200);
    const response = await submit(owner, { prompt: "a boat --iw 2 --seed 5", imagePrompt: { uploadId: created.id } });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { id: string; imagePrompt: { uploadId: string; weight: number; thumbUrl: string } };
    expect(job.imagePrompt).toEqual({ uploadId: created.id, weight: 2, thumbUrl: `/api/v1/uploads/${created.id}/file?size=thumb` });
    let finished: { status: string; error: string | null; images: Array<{ id: string; recipe: Record<string, unknown> }> } | undefined;
    for (let waited = 0; waited < 600; waited++) {
      finished = (await (await api(owner, `/api/v1/jobs/${job.id}`)).json()) as typeof finished;
      if (finished && finished.status !== "queued" && finished.status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(finished?.status, finished?.error ?? "").toBe("completed");
    expect(finished!.images).toHaveLength(4);
    expect(finished!.images[0]!.recipe).toMatchObject({ mode: "image-prompt", strength: 0.5 });
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { estimateKey: true } });
    expect(row.estimateKey).toContain("|iw2|");

    // Its image prompt deleted, the job cannot be rerun: 404 up front, no reservation.
    const spare = (await (await upload(owner, await redSquare())).json()) as { id: string };
    const spareJob = (await (await submit(owner, { prompt: "a boat --seed 9", imagePrompt: { uploadId: spare.id } })).json()) as { id: string };
    await api(owner, `/api/v1/jobs/${spareJob.id}/cancel`, { method: "POST" });
    expect((await api(owner, `/api/v1/uploads/${spare.id}`, { method: "DELETE" })).status).toBe(204);
    const jobsBefore = await db.job.count({ where: { userId: owner.id } });
    expect(await errorOf(await api(owner, `/api/v1/jobs/${spareJob.id}/rerun`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }))).toEqual({
      status: 404,
      message: expect.stringMatching(/image prompt has been deleted/),
    });
    expect(await db.job.count({ where: { userId: owner.id } })).toBe(jobsBefore);

    // "Use image": one of the user's own results as the next image prompt.
    const again = await submit(owner, { prompt: "a boat", imagePrompt: { imageId: finished!.images[0]!.id } });
    expect(again.status).toBe(202);
    // …and Organize's lineage shows what it was made from.
    expect(((await again.json()) as { parentImageId: string }).parentImageId).toBe(finished!.images[0]!.id);
  });

  it("refuses someone else's upload or image, both ids, and --iw without an image", async () => {
    const created = (await (await upload(owner, await redSquare())).json()) as { id: string };
    const jobs = await db.job.count({ where: { userId: other.id } });
    expect(await errorOf(await submit(other, { prompt: "a boat", imagePrompt: { uploadId: created.id } }))).toEqual({ status: 404, message: expect.stringMatching(/No such upload/) });
    // One of the owner's images (made by the test above, which runs first).
    const image = await db.image.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });
    expect((await errorOf(await submit(other, { prompt: "a boat", imagePrompt: { imageId: image.id } }))).status).toBe(404);
    expect(await errorOf(await submit(owner, { prompt: "a boat", imagePrompt: { uploadId: created.id, imageId: "x" } }))).toEqual({ status: 400, message: expect.stringMatching(/exactly one of uploadId or imageId/) });
    expect(await errorOf(await submit(owner, { prompt: "a boat --iw 2" }))).toEqual({ status: 400, message: expect.stringMatching(/--iw sets how much an image prompt counts, but no image was given/) });
    expect(await db.job.count({ where: { userId: other.id } })).toBe(jobs);
  });
});
