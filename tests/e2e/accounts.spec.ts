import { request } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../../playwright.config";

const SHOTS = "test-results/e2e/screenshots";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
}

test("sign up, sign out, sign in, create a token, and call the API with it", async ({ page, baseURL }) => {
  const email = uniqueEmail("painter");
  const password = "a long enough passphrase";

  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.screenshot({ path: `${SHOTS}/sign-in.png` });
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
  await expect(page.getByRole("heading", { name: "Create" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/create.png` });

  // Sign out from the account menu, then back in.
  await page.getByRole("button", { name: new RegExp(email.slice(0, 6)) }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Invalid email or password")).toBeVisible();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/create$/);

  // Create a token on the settings page; it is shown once.
  await page.goto("/settings");
  await page.getByLabel("Token name").fill("e2e script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^mrg_/);
  await expect(page.getByText("e2e script")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/settings-token.png` });

  // A fresh client with no cookies: the token alone identifies the user.
  const api = await request.newContext({ baseURL });
  const me = await api.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email, role: "user", plan: "Standard" });
  const anonymous = await api.get("/api/v1/me");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("UNAUTHORIZED");
  const adminOnly = await api.get("/api/v1/admin/users", { headers: { Authorization: `Bearer ${token}` } });
  expect(adminOnly.status()).toBe(403);

  // Revoking the token from the page makes it stop working.
  await page.getByRole("button", { name: "Revoke token e2e script" }).click();
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  expect((await api.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  await api.dispose();
});

test("the API refuses cross-site writes that ride on the session cookie", async ({ page }) => {
  const email = uniqueEmail("csrf");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
  const crossSite = await page.request.post("/api/v1/tokens", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
    data: { name: "stolen" },
  });
  expect(crossSite.status()).toBe(403);
  const badBody = await page.request.post("/api/v1/tokens", {
    headers: { Origin: new URL(page.url()).origin, "Content-Type": "application/json" },
    data: { name: "" },
  });
  expect(badBody.status()).toBe(400);
  expect((await badBody.json()).error.message).toMatch(/name/);
});

test("an admin sees users, changes a plan, and closes open sign-up", async ({ page, browser }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/create$/);
  await page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  const accounts = page.getByRole("table", { name: "Accounts" });
  await expect(accounts.getByRole("cell", { name: E2E_ADMIN.email })).toBeVisible();
  await expect(page.getByTestId("health-status")).toHaveText(/ok|degraded/);
  await page.screenshot({ path: `${SHOTS}/admin.png`, fullPage: true });

  const painterPlan = accounts.getByRole("combobox", { name: /^Plan of (painter|csrf)-/ }).first();
  await painterPlan.selectOption("Pro");
  await expect(painterPlan).toHaveValue("Pro");
  await page.reload();
  await expect(page.getByRole("table", { name: "Accounts" }).getByRole("combobox", { name: /^Plan of (painter|csrf)-/ }).first()).toHaveValue("Pro");

  const signup = page.getByRole("switch", { name: "Open sign-up" });
  await expect(signup).toHaveAttribute("aria-checked", "true");
  await signup.click();
  await expect(signup).toHaveAttribute("aria-checked", "false");

  const visitor = await browser.newPage();
  await visitor.goto("/sign-up");
  await expect(visitor.getByRole("heading", { name: "Sign-up is closed" })).toBeVisible();
  await visitor.close();

  await signup.click();
  await expect(signup).toHaveAttribute("aria-checked", "true");
});

test("the studio works at phone width with the keyboard", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(E2E_ADMIN.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(E2E_ADMIN.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/create$/);
  await expect(page.getByRole("navigation", { name: "Studio" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/phone.png` });
  await context.close();
});
