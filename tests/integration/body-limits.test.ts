import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "@/lib/server/tokens";
import { startApiServer, postChunked, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";

/**
 * Finding 1 of issue 18: chunked bodies (no Content-Length) of hundreds of MB
 * to sign-in and to a JSON API route. Each must be cut off at the 64 KiB JSON
 * cap with a 413, so the process does not grow by what was sent.
 */
const BODY_BYTES = 256 * 1024 * 1024;
const BODIES = 20;
const db = testDb();
let server: ApiServer;
let storageDir = "";
let token = "";

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-body-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-body`,
    storageDir,
    routes: [
      { pattern: /^\/api\/auth\/(?<all>.+)$/, load: () => import("@/app/api/auth/[...all]/route") },
      { pattern: /^\/api\/v1\/folders$/, load: () => import("@/app/api/v1/folders/route") },
    ],
  });
  const user = await seedUser(db);
  token = (await createApiToken(db, user.id, "body-limits")).token;
});

afterAll(async () => {
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

async function rssGrowthAfter(send: () => Promise<{ status: number; body: string; sentBytes: number }>) {
  const before = process.memoryUsage().rss;
  const results = [];
  for (let index = 0; index < BODIES; index += 1) results.push(await send());
  return { growthMb: (process.memoryUsage().rss - before) / (1024 * 1024), results };
}

describe("request bodies are capped while streaming", () => {
  it("sign-in: 20 chunked 256 MB bodies each get a 413 and the process grows < 50 MB", async () => {
    const { growthMb, results } = await rssGrowthAfter(() =>
      postChunked(`${server.url}/api/auth/sign-in/email`, BODY_BYTES, { "content-type": "application/json", origin: "http://localhost:3000" }),
    );
    console.log(`sign-in: RSS growth ${growthMb.toFixed(1)} MB after ${BODIES} × ${BODY_BYTES / 2 ** 20} MB chunked bodies`);
    for (const result of results) {
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
      // The answer came long before the client had sent the whole body.
      expect(result.sentBytes).toBeLessThan(BODY_BYTES);
    }
    expect(growthMb).toBeLessThan(50);
  }, 180_000);

  it("a JSON /api/v1 route: the same, with a 413 naming the 64 KiB cap", async () => {
    const { growthMb, results } = await rssGrowthAfter(() =>
      postChunked(`${server.url}/api/v1/folders`, BODY_BYTES, { "content-type": "application/json", authorization: `Bearer ${token}` }),
    );
    console.log(`/api/v1/folders: RSS growth ${growthMb.toFixed(1)} MB`);
    for (const result of results) {
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body).error.message).toMatch(/64 KiB/);
      expect(result.sentBytes).toBeLessThan(BODY_BYTES);
    }
    expect(growthMb).toBeLessThan(50);
  }, 180_000);

  it("still serves a normal sign-in body", async () => {
    const user = await seedUser(db);
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(response.status).toBe(200);
  });
});
