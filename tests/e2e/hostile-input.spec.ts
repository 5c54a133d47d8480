import fc from "fast-check";
import { request, type APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../../playwright.config";
import { protocolErrorMessage, protocolOperations } from "../support/protocol-routes";

/**
 * Every route in the OpenAPI document plus better-auth's, fed 10,000 random
 * and hostile requests through the real server: NUL and other control
 * characters, lone surrogates, extreme dates, broken percent-escapes, invalid
 * UTF-8, methods a route does not implement. The answer is always a success
 * or a 4xx with `{ error: { message } }` JSON, never a 5xx. Run as an admin so
 * admin routes parse their input too.
 *
 * Sign-in itself is left out: its limiter would lock this machine's address
 * for the specs that run after this one (the limiter and its body cap have
 * their own tests).
 */
const REQUESTS = 10_000;
const CONCURRENCY = 8;

const AUTH_OPERATIONS = [
  { method: "POST", path: "/api/auth/sign-up/email" },
  { method: "POST", path: "/api/auth/update-user" },
  { method: "GET", path: "/api/auth/get-session" },
  { method: "POST", path: "/api/auth/change-password" },
  { method: "POST", path: "/api/auth/{id}" },
];
const UNSUPPORTED_METHODS = ["PUT", "PATCH", "DELETE", "POST"];

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\u0001\u0002\u001b[31m",
    "\u007f",
    "\uD800",
    "x\uDFFFy",
    "0000-01-01",
    "-000001-01-01",
    "+275760-09-13",
    "9999-12-31T23:59:59Z",
    "99999-01-01",
    "2026-02-30",
    "1e309",
    "NaN",
    "__proto__",
    "constructor",
    "'; DROP TABLE job; --",
    "‮rtl",
    "%00",
    "%",
    "%E0%A4%A",
    "%zz",
    "../../etc/passwd",
    "javascript:alert(1)",
    "a".repeat(5000),
  ),
);

const hostileValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 }));
const FIELDS = ["prompt", "mode", "name", "strength", "kind", "hours", "role", "plan", "disabled", "signupOpen", "message", "note", "email", "password", "image", "imageIds", "enabled", "autoRelax", "exact", "model", "__proto__"] as const;
const hostileBody = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue),
  fc.record({ name: hostileString, query: fc.dictionary(fc.constantFrom("q", "from", "to", "type", "ar", "liked", "model", "personalized"), hostileString) }),
  fc.record({ prompt: fc.constant("a cat"), imagePrompt: fc.dictionary(fc.constantFrom("uploadId", "imageId"), hostileString) }),
);

/** How the URL is broken, beyond the random values that fill it. */
const urlDamage = fc.constantFrom("none", "none", "none", "path-escape", "query-escape", "nul-path", "extreme-dates");
const bodyEncoding = fc.constantFrom("json", "json", "text", "invalid-utf8");

/** encodeURIComponent, except that a lone surrogate becomes the invalid UTF-8 it would be (`%ED%A0%80`) instead of a throw. */
function encodeLoosely(text: string): string {
  return Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%ED%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    return encodeURIComponent(char);
  }).join("");
}

function applyDamage(url: string, damage: string): string {
  const [path = "", query = ""] = url.split("?");
  switch (damage) {
    case "path-escape":
      return `${path}/%E0%A4%A?${query}`;
    case "query-escape":
      return `${path}?q=%E0%A4%A&cursor=%&from=%zz&${query}`;
    case "nul-path":
      return `${path.replace(/\/[^/]*$/, "/%00x")}?${query}`;
    case "extreme-dates":
      return `${path}?from=0000-01-01&to=99999-12-31&${query}`;
    default:
      return url;
  }
}

test("no API route answers hostile input with a 5xx", async ({ baseURL }) => {
  // About 3 minutes on an idle 2-core machine; the margin is for a loaded one.
  test.setTimeout(600_000);
  const origin = baseURL ?? "";
  const session = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: origin } });
  const signIn = await session.post("/api/auth/sign-in/email", { data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password } });
  expect(signIn.ok()).toBe(true);
  const token = (await (await session.post("/api/v1/tokens", { data: { name: "fuzz" } })).json()).token as string;
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const document = await (await api.get("/api/v1/openapi.json")).json();
  const operations: Array<{ method: string; path: string }> = [...AUTH_OPERATIONS];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
    // The live stream never ends by itself; it is covered elsewhere.
    if (path.endsWith("/events")) continue;
    for (const method of Object.keys(item)) operations.push({ method: method.toUpperCase(), path });
  }
  // The outside protocols (OpenAI, A1111, MCP) take the same token and must hold up the same way.
  const protocols = new Map(protocolOperations().map((operation) => [operation.path, operation.protocol]));
  for (const { method, path } of protocolOperations()) operations.push({ method, path });
  expect(operations.length).toBeGreaterThan(40);

  const cases = fc.sample(
    fc.record({
      operation: fc.constantFrom(...operations),
      // One request in eight uses a method the route may not implement.
      wrongMethod: fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: fc.constantFrom(...UNSUPPORTED_METHODS), weight: 1 }),
      text: hostileString,
      body: hostileBody,
      damage: urlDamage,
      encoding: bodyEncoding,
    }),
    { numRuns: REQUESTS, seed: 20261207 },
  );
  expect(cases).toHaveLength(REQUESTS);

  const failures: string[] = [];
  let resent = 0;
  const statuses = new Map<number, number>();
  async function send(item: (typeof cases)[number]) {
    const { operation, text } = item;
    const method = item.wrongMethod ?? operation.method;
    const id = encodeLoosely(text.slice(0, 80)) || "x";
    const query = new URLSearchParams({ q: text.slice(0, 300), cursor: text.slice(0, 80), limit: text.slice(0, 10), type: text.slice(0, 20), from: text.slice(0, 12), to: text.slice(0, 12), folder: text.slice(0, 20), size: text.slice(0, 6), groupBy: text.slice(0, 10), format: text.slice(0, 5) });
    const url = applyDamage(`${operation.path.replace("{id}", id)}?${query}`, item.damage);
    // better-auth's endpoints ride on the session cookie; /api/v1 on the token.
    const client: APIRequestContext = operation.path.startsWith("/api/auth") ? session : api;
    const json = JSON.stringify(item.body) ?? "null";
    const data =
      item.encoding === "invalid-utf8"
        ? Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80, 0x00]), Buffer.from('"}')])
        : item.encoding === "text" && typeof item.body === "string"
          ? item.body
          : json;
    const options = { method, ...(method === "GET" || method === "HEAD" ? {} : { data, headers: { "Content-Type": item.encoding === "text" ? "text/plain" : "application/json" } }) };
    // A connection the client reused just as the server closed it resets without an answer; that is
    // not the server's answer to this input, so it is sent once more (and counted). A second
    // failure is reported.
    let response;
    try {
      response = await client.fetch(url, options);
    } catch {
      resent += 1;
      try {
        response = await client.fetch(url, options);
      } catch (error) {
        failures.push(`${method} ${url} → no answer twice: ${String(error).slice(0, 200)}`);
        return;
      }
    }
    const status = response.status();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) failures.push(`${method} ${url} → ${status} ${(await response.text()).slice(0, 200)}`);
    // A damaged path can leave the API altogether ("/mcp" with its last segment replaced is "/%00x"):
    // that is a page, and the studio's 404 page is the right answer there.
    else if (status >= 400 && /^\/(api|v1|sdapi|mcp)(\/|\?|$)/.test(url)) {
      const payload = await response.json().catch(() => null);
      const protocol = protocols.get(operation.path);
      const message = protocol ? protocolErrorMessage(protocol, payload) : (payload?.error?.message ?? (url.startsWith("/api/auth") ? payload?.message : undefined));
      if (!message) failures.push(`${method} ${url} → ${status} without an error message: ${(await response.text()).slice(0, 120)}`);
      // better-auth's router does not name the methods it takes; /api/v1 routes must.
      if (status === 405 && url.startsWith("/api/v1") && !response.headers()["allow"]) failures.push(`${method} ${url} → 405 without Allow`);
    }
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length && failures.length < 20) {
        const item = cases[next];
        next += 1;
        if (item) await send(item);
      }
    }),
  );
  console.log(`hostile input: ${next} requests (${resent} resent after a connection reset), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  expect(failures).toEqual([]);
  expect(next).toBe(REQUESTS);

  // Random bodies may have switched studio settings or queued jobs; leave the studio as the other tests expect it.
  await api.patch("/api/v1/admin/settings", { data: { signupOpen: true } });
  const jobs = (await (await api.get("/api/v1/jobs?limit=50")).json()).jobs as Array<{ id: string; status: string }>;
  for (const job of jobs.filter((candidate) => candidate.status === "queued" || candidate.status === "running")) await api.post(`/api/v1/jobs/${job.id}/cancel`);
  await api.dispose();
  await session.dispose();
});
