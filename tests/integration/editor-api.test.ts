import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";

/**
 * The Editor's endpoints over real HTTP (the route files, their contracts,
 * auth and error mapping): 202 with the job, the 400s that name the problem,
 * 404 for someone else's upload, 413 for a body over the JSON cap. What the
 * jobs produce is checked through a worker in editor.test.ts.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-editor-api`;
let server: RouteServer;
let storageDir = "";
let owner: { id: string; token: string };
let other: { id: string; token: string };
let uploadId = "";

async function user() {
  const seeded = await seedUser(db);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "editor")).token };
}

function api(who: { token: string }, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${who.token}`, ...init.headers } });
}

function edit(who: { token: string }, id: string, body: unknown) {
  return api(who, `/api/v1/uploads/${id}/edit`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function errorOf(response: Response) {
  return { status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error };
}

const png = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-editor-api-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  owner = await user();
  other = await user();
  const uploaded = await api(owner, "/api/v1/uploads", { method: "POST", headers: { "Content-Type": "image/png" }, body: new Uint8Array(await png(200, 100, "#3366cc")) });
  expect(uploaded.status).toBe(201);
  uploadId = ((await uploaded.json()) as { id: string }).id;
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("POST /api/v1/uploads/{id}/edit", () => {
  it("accepts each kind with 202 and the job, typed by the operation", async () => {
    const mask = await sharp(await png(50, 25, "#000000"))
      .composite([{ input: await png(10, 10, "#ffffff"), left: 5, top: 5 }])
      .png()
      .toBuffer();
    const bodies = [
      [{ kind: "region", mask: `data:image/png;base64,${mask.toString("base64")}`, prompt: "a yellow star" }, "vary-region"],
      [{ kind: "zoom", factor: 1.5 }, "zoom-out"],
      [{ kind: "pan", direction: "up" }, "pan"],
      [{ kind: "square" }, "make-square"],
    ] as const;
    for (const [body, type] of bodies) {
      const response = await edit(owner, uploadId, body);
      expect(response.status, JSON.stringify(await response.clone().json())).toBe(202);
      expect(await response.json()).toMatchObject({ type, status: "queued", parentImageId: null });
    }
  });

  it("answers 400 naming the problem: empty, full and non-PNG masks, bad fields", async () => {
    const empty = await errorOf(await edit(owner, uploadId, { kind: "region", mask: (await png(20, 10, "#000000")).toString("base64") }));
    expect(empty).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(/empty/) });
    const full = await errorOf(await edit(owner, uploadId, { kind: "region", mask: (await png(20, 10, "#ffffff")).toString("base64") }));
    expect(full).toMatchObject({ status: 400, message: expect.stringMatching(/whole image/) });
    const jpeg = (await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } }).jpeg().toBuffer()).toString("base64");
    expect(await errorOf(await edit(owner, uploadId, { kind: "region", mask: jpeg }))).toMatchObject({ status: 400, message: expect.stringMatching(/PNG/) });
    expect(await errorOf(await edit(owner, uploadId, { kind: "zoom", factor: 3 }))).toMatchObject({ status: 400, message: expect.stringMatching(/factor/) });
    expect(await errorOf(await edit(owner, uploadId, { kind: "region" }))).toMatchObject({ status: 400, message: expect.stringMatching(/mask/) });
  });

  it("reads someone else's upload as not found, and refuses a body over the JSON cap with 413", async () => {
    expect(await errorOf(await edit(other, uploadId, { kind: "square" }))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    const big = "A".repeat(70 * 1024);
    expect((await edit(owner, uploadId, { kind: "region", mask: big })).status).toBe(413);
  });
});
