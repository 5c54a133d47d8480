import { request } from "@playwright/test";
import { expect, test } from "./fixtures";
import sharp from "sharp";

/**
 * Issue 18, findings 5 and 7 through the real server (the launcher's web
 * server in front of Next.js): a nonce CSP on pages that the studio's own
 * scripts satisfy, a static no-script CSP on API answers and files,
 * `Cache-Control: no-store` on private JSON, JSON for broken escapes and
 * unsupported methods.
 */
test("pages carry a per-request nonce policy, and the studio still works under it", async ({ page, baseURL }) => {
  await page.addInitScript(() => {
    const holder = window as typeof window & { __cspViolations?: string[] };
    holder.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => holder.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const first = await page.goto("/sign-in");
  const policy = first?.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("frame-ancestors 'none'");
  // Every script tag Next.js rendered carries this response's nonce.
  const scripts = await page.locator("script").evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((value) => value === nonce)).toBe(true);
  // A new request, a new nonce.
  const second = await page.goto("/sign-in");
  expect(second?.headers()["content-security-policy"]).not.toBe(policy);

  // The page hydrated (client navigation works) and nothing was blocked.
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  const email = `csp-${Date.now()}@e2e.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
  await expect(page.getByRole("heading", { name: "Create" })).toBeVisible();
  // zod probes once whether `new Function` works (and falls back when it does not); that blocked
  // probe is the policy working, and the only report allowed.
  const violations = await page.evaluate(() => (window as typeof window & { __cspViolations?: string[] }).__cspViolations ?? []);
  expect(violations.filter((violation) => violation !== "script-src eval")).toEqual([]);

  // API answers: private JSON is not cached; files and JSON get the no-script policy.
  const api = page.request;
  const me = await api.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(me.headers()["cache-control"]).toBe("no-store");
  expect(me.headers()["content-security-policy"]).toContain("default-src 'none'");
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#1e50c8" } }).png().toBuffer();
  const upload = await (await api.post("/api/v1/uploads", { data: png, headers: { "Content-Type": "image/png", Origin: baseURL ?? "" } })).json();
  const file = await api.get(`/api/v1/uploads/${upload.id}/file`);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(file.headers()["content-security-policy"]).toContain("sandbox");
  const missing = await api.get("/api/v1/jobs/00000000-0000-7000-8000-000000000000");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["cache-control"]).toBe("no-store");
});

test("broken escapes and unsupported methods get JSON errors", async ({ baseURL }) => {
  const anonymous = await request.newContext({ baseURL });
  for (const path of ["/api/v1/images/%E0%A4%A", "/api/v1/jobs/%", "/api/auth/%zz"]) {
    const response = await anonymous.get(path);
    expect(response.status(), path).toBe(400);
    expect((await response.json()).error.message, path).toMatch(/percent-escape/);
  }
  const put = await anonymous.fetch("/api/v1/openapi.json", { method: "PUT", data: "{}" });
  expect(put.status()).toBe(405);
  expect(put.headers()["allow"]).toContain("GET");
  expect((await put.json()).error).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  const deleteJobs = await anonymous.delete("/api/v1/jobs");
  expect(deleteJobs.status()).toBe(405);
  expect(deleteJobs.headers()["allow"]).toMatch(/GET.*POST|POST.*GET/);
  await anonymous.dispose();
});
