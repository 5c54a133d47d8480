import { request, type APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import sharp from "sharp";
import { E2E_ADMIN } from "../../playwright.config";
import { protocolOperations } from "../support/protocol-routes";

/**
 * The authorization matrix, generated from the OpenAPI route list: every
 * /api/v1 operation × {anonymous, another user, the owner, an admin}.
 * Anonymous → 401; non-admins on admin routes → 403; someone else's job,
 * image, upload, draft session, folder or token → 404. The outside
 * protocols' routes (read from app/v1, app/sdapi and app/mcp) answer only to
 * an API token: anonymous and a signed-in browser session both get 401.
 */
const PUBLIC = new Set(["/api/v1/health", "/api/v1/openapi.json"]);

/** An API-token client, and a second token of the same user (tokens are made from a signed-in session only). */
async function tokenFor(baseURL: string, credentials: { email: string; password: string }, signUp: boolean): Promise<{ api: APIRequestContext; spareTokenId: string }> {
  const browserless = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const path = signUp ? "/api/auth/sign-up/email" : "/api/auth/sign-in/email";
  expect((await browserless.post(path, { data: { ...credentials, name: "matrix" } })).ok()).toBe(true);
  const token = (await (await browserless.post("/api/v1/tokens", { data: { name: "matrix" } })).json()).token as string;
  const spareTokenId = (await (await browserless.post("/api/v1/tokens", { data: { name: "mine" } })).json()).id as string;
  await browserless.dispose();
  return { api: await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } }), spareTokenId };
}

test("every API route checks who is asking", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const base = baseURL ?? "";
  const ownerCredentials = { email: `owner-${Date.now()}@e2e.test`, password: "a long enough passphrase" };
  const { api: owner, spareTokenId } = await tokenFor(base, ownerCredentials, true);
  const { api: other } = await tokenFor(base, { email: `other-${Date.now()}@e2e.test`, password: "a long enough passphrase" }, true);
  const { api: admin } = await tokenFor(base, E2E_ADMIN, false);
  const anonymous = await request.newContext({ baseURL: base });

  // The owner's resources: a finished draft job (with images), a draft session and a token.
  const job = await (await owner.post("/api/v1/jobs", { data: { prompt: "a tiny white square --draft" } })).json();
  for (let waited = 0; waited < 120; waited += 1) {
    if ((await (await owner.get(`/api/v1/jobs/${job.id}`)).json()).status === "completed") break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const finished = await (await owner.get(`/api/v1/jobs/${job.id}`)).json();
  expect(finished.status).toBe("completed");
  const session = await (await owner.post("/api/v1/draft/sessions", { data: { prompt: "a tiny white square" } })).json();
  const folder = await (await owner.post("/api/v1/folders", { data: { name: "matrix" } })).json();
  expect(folder.id).toBeTruthy();
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#c81e1e" } }).png().toBuffer();
  const upload = await (await owner.post("/api/v1/uploads", { data: png, headers: { "Content-Type": "image/png" } })).json();
  expect(upload.id).toBeTruthy();
  const owned: Record<string, string> = {
    "/api/v1/jobs/{id}": job.id,
    "/api/v1/jobs/{id}/cancel": job.id,
    "/api/v1/jobs/{id}/rerun": job.id,
    "/api/v1/images/{id}": finished.images[0].id,
    "/api/v1/images/{id}/file": finished.images[0].id,
    "/api/v1/images/{id}/vary": finished.images[0].id,
    "/api/v1/images/{id}/upscale": finished.images[0].id,
    "/api/v1/images/{id}/enhance": finished.images[0].id,
    "/api/v1/images/{id}/like": finished.images[0].id,
    "/api/v1/draft/sessions/{id}": session.id,
    "/api/v1/draft/sessions/{id}/messages": session.id,
    "/api/v1/tokens/{id}": spareTokenId,
    "/api/v1/folders/{id}": folder.id,
    "/api/v1/folders/{id}/images": folder.id,
    "/api/v1/uploads/{id}": upload.id,
    "/api/v1/uploads/{id}/file": upload.id,
  };
  const bodies: Record<string, unknown> = {
    "/api/v1/images/{id}/vary": { strength: "subtle" },
    "/api/v1/images/{id}/upscale": { kind: "subtle" },
    "/api/v1/jobs/{id}/rerun": {},
    "/api/v1/draft/sessions/{id}/messages": { message: "make it red" },
    "/api/v1/folders/{id}": { name: "renamed" },
    "/api/v1/folders/{id}/images": { imageIds: [finished.images[0].id] },
    // House style routes are "user" access (a team's owner may use them): valid bodies, so the 403 comes from the ownership check.
    "/api/v1/admin/teams/{id}/style": { code: null },
    "/api/v1/admin/teams/{id}/style/pool": { modelId: "mirage-tiny" },
    "/api/v1/admin/teams/{id}/style/versions": { modelId: "mirage-tiny", axes: [0] },
    // Team member routes are open to signed-in users (a team's owner manages its members) and check
    // the team per request: with a valid body, a user who owns no such team must get the 403.
    "/api/v1/admin/teams/{id}/members": { email: ownerCredentials.email },
    "/api/v1/admin/teams/{id}/members/{userId}": { role: "member" },
  };

  const document = await (await anonymous.get("/api/v1/openapi.json")).json();
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
    if (PUBLIC.has(path)) continue;
    for (const method of Object.keys(item).map((name) => name.toUpperCase())) {
      const url = path.replace("{id}", owned[path] ?? "00000000-0000-7000-8000-000000000000").replace("{userId}", "00000000-0000-7000-8000-000000000001");
      const send = (client: APIRequestContext) =>
        client.fetch(url, { method, ...(method === "GET" || (method === "DELETE" && !bodies[path]) ? {} : { data: bodies[path] ?? {} }) });
      const check = async (who: string, client: APIRequestContext, allowed: (status: number) => boolean, expected: string) => {
        const status = (await send(client)).status();
        if (!allowed(status)) problems.push(`${who} ${method} ${path} → ${status}, expected ${expected}`);
      };
      await check("anonymous", anonymous, (status) => status === 401, "401");
      if (path.startsWith("/api/v1/admin")) {
        await check("user", owner, (status) => status === 403, "403");
        await check("admin", admin, (status) => status !== 401 && status !== 403 && status < 500, "not 401/403/5xx");
      } else if (owned[path] && path === "/api/v1/tokens/{id}") {
        // Revoking needs a signed-in session: an API token is refused before ownership is looked at.
        await check("other user", other, (status) => status === 403, "403");
      } else if (owned[path]) {
        await check("other user", other, (status) => status === 404, "404");
      }
    }
  }
  // The outside protocols: a token or nothing. A browser session is not enough, so no other
  // site can make a signed-in visitor's browser spend their fast time through these routes.
  const browser = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base } });
  expect((await browser.post("/api/auth/sign-in/email", { data: ownerCredentials })).ok()).toBe(true);
  const protocolRoutes = protocolOperations();
  expect(protocolRoutes.length).toBeGreaterThan(10);
  for (const operation of protocolRoutes) {
    const url = operation.path.replace("{id}", finished.images[0].id);
    const send = (client: APIRequestContext) =>
      client.fetch(url, { method: operation.method, ...(operation.method === "GET" ? {} : { data: {}, headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" } }) });
    // A signed image link without its signature is the same 404 for everyone.
    const expected = operation.signedLink ? 404 : 401;
    for (const [who, client] of [["anonymous", anonymous], ["browser session", browser]] as const) {
      const status = (await send(client)).status();
      if (status !== expected) problems.push(`${who} ${operation.method} ${operation.path} → ${status}, expected ${expected}`);
    }
    if (operation.signedLink) {
      const status = (await send(other)).status();
      if (status !== 404) problems.push(`other user's token ${operation.method} ${operation.path} → ${status}, expected 404`);
    }
  }
  await browser.dispose();
  expect(problems).toEqual([]);
  // The owner still reaches their own things.
  expect((await owner.get(`/api/v1/images/${finished.images[0].id}`)).status()).toBe(200);
  expect((await owner.get(`/api/v1/uploads/${upload.id}/file`)).status()).toBe(200);
  // A token cannot mint or revoke tokens, not even its own user's.
  expect((await owner.post("/api/v1/tokens", { data: { name: "minted" } })).status()).toBe(403);
  expect((await owner.delete(`/api/v1/tokens/${spareTokenId}`)).status()).toBe(403);
  for (const client of [owner, other, admin, anonymous]) await client.dispose();
});
