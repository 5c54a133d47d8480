import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startProtocolServer, type ProtocolServer } from "../support/protocol-server";

/**
 * The protocol routes (/v1, /sdapi/v1, /mcp) against hostile or broken
 * requests: every one is refused with a 4xx and a JSON body, never a 5xx,
 * and nothing is refused only after work was queued. No worker: nothing
 * here may get as far as a job.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-protocols-hostile`;
let server: ProtocolServer;
let storageDir = "";
let token = "";
let userId = "";

const POSTS = ["/v1/images/generations", "/v1/images/edits", "/v1/images/variations", "/sdapi/v1/txt2img", "/sdapi/v1/img2img", "/sdapi/v1/options", "/mcp"];
const GETS = ["/v1/models", "/sdapi/v1/sd-models", "/sdapi/v1/samplers", "/sdapi/v1/options", "/sdapi/v1/progress"];

async function send(route: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  const response = await fetch(`${server.url}${route}`, { method: init.method ?? "POST", headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, text };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-protocols-hostile-"));
  server = await startProtocolServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  const user = await seedUser(db);
  userId = user.id;
  token = (await createApiToken(db, user.id, "hostile")).token;
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("protocol routes under hostile input", () => {
  it("refuse every caller without a valid token, with a cookie or a malformed header included", async () => {
    for (const route of [...POSTS, ...GETS]) {
      const method = POSTS.includes(route) && !GETS.includes(route) ? "POST" : "GET";
      for (const headers of [{}, { authorization: "Bearer" }, { authorization: "Bearer mrg_x y" }, { authorization: "Basic %%%" }, { cookie: "better-auth.session_token=forged" }] as Array<Record<string, string>>) {
        const { status } = await send(route, { method, headers });
        expect(status, `${method} ${route} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it("answer broken bodies with a 4xx and JSON, never a 5xx", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const bodies: Array<{ headers: Record<string, string>; body: BodyInit }> = [
      { headers: { "content-type": "application/json" }, body: "{" },
      { headers: { "content-type": "application/json" }, body: "null" },
      { headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a\u0000b", n: "many", size: "huge", steps: -1, init_images: [42] }) },
      { headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
      { headers: { "content-type": "text/plain" }, body: "prompt=a cat" },
      { headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nnot an image\r\n--x--" },
      { headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "x".repeat(70_000) }) },
    ];
    for (const route of POSTS) {
      for (const [index, { headers, body }] of bodies.entries()) {
        // Options take any object, odd keys included (clients post back all of A1111's options); only the checkpoint is read.
        if (route === "/sdapi/v1/options" && [2, 3, 6].includes(index)) continue;
        const { status, text } = await send(route, { headers: { ...auth, ...headers }, body });
        expect(status, `${route} ${String(headers["content-type"])}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(status, `${route}: ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(() => JSON.parse(text) as unknown, `${route} answers JSON`).not.toThrow();
      }
    }
    expect(await db.job.count({ where: { userId } })).toBe(0);
  });

  it("a signed link that was never signed is a 404", async () => {
    for (const query of ["", "?expires=9999999999&signature=" + "A".repeat(43), "?expires=abc&signature=%00"]) {
      expect((await send(`/v1/files/images/some-id${query}`, { method: "GET" })).status).toBe(404);
    }
  });
});
