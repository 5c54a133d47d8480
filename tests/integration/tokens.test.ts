import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken, findUserIdByApiToken, listApiTokens, MAX_TOKENS_PER_USER } from "@/lib/server/tokens";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";

/** Issue 18, finding 8: a cap per user, session-only token management, last-used time. */
const db = testDb();
let server: ApiServer;
let storageDir = "";
const ORIGIN = "http://localhost:3000";

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-tokens-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-tokens`,
    storageDir,
    routes: [
      { pattern: /^\/api\/auth\/(?<all>.+)$/, load: () => import("@/app/api/auth/[...all]/route") },
      { pattern: /^\/api\/v1\/tokens$/, load: () => import("@/app/api/v1/tokens/route") },
      { pattern: /^\/api\/v1\/tokens\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/tokens/[id]/route") },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

async function sessionCookie(email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

describe("API tokens", () => {
  it(`caps each user at ${MAX_TOKENS_PER_USER} active tokens, with a 409 that names the cap`, async () => {
    const user = await seedUser(db);
    for (let index = 0; index < MAX_TOKENS_PER_USER; index += 1) await createApiToken(db, user.id, `t${index}`);
    const cookie = await sessionCookie(user.email, user.password);
    const refused = await fetch(`${server.url}/api/v1/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, cookie },
      body: JSON.stringify({ name: "one too many" }),
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain(`${MAX_TOKENS_PER_USER} API tokens`);
    expect(MAX_TOKENS_PER_USER).toBeLessThanOrEqual(20);
  });

  it("are created and revoked with a signed-in session, never with a token", async () => {
    const user = await seedUser(db);
    const cookie = await sessionCookie(user.email, user.password);
    const created = await fetch(`${server.url}/api/v1/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, cookie },
      body: JSON.stringify({ name: "script" }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    const bearer = { authorization: `Bearer ${token}` };

    const minted = await fetch(`${server.url}/api/v1/tokens`, { method: "POST", headers: { "content-type": "application/json", ...bearer }, body: JSON.stringify({ name: "minted" }) });
    expect(minted.status).toBe(403);
    expect((await minted.json()).error.message).toMatch(/signed in/);
    expect((await fetch(`${server.url}/api/v1/tokens/${id}`, { method: "DELETE", headers: bearer })).status).toBe(403);
    expect(await listApiTokens(db, user.id)).toHaveLength(1);

    // A token may still list tokens, and sees when each was last used.
    const listed = await fetch(`${server.url}/api/v1/tokens`, { headers: bearer });
    expect(listed.status).toBe(200);
    const [only] = ((await listed.json()) as { tokens: Array<{ id: string; lastUsedAt: string | null }> }).tokens;
    expect(only?.id).toBe(id);
    expect(Date.now() - Date.parse(only?.lastUsedAt ?? "0")).toBeLessThan(60_000);

    expect((await fetch(`${server.url}/api/v1/tokens/${id}`, { method: "DELETE", headers: { origin: ORIGIN, cookie } })).status).toBe(204);
    expect(await findUserIdByApiToken(db, token)).toBeNull();
  });
});
