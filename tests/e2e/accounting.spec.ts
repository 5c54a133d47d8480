import { expect, test } from "./fixtures";
import { E2E_ADMIN } from "../../playwright.config";

const SHOTS = "test-results/e2e/screenshots";

test("costs are shown before and after a job, and the admin dashboard shows the real numbers", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/create$/);

  await page.getByLabel("Prompt").fill("a small orange sun at the top --turbo");
  await expect(page.getByTestId("estimate")).toContainText("turbo ×2");
  await page.getByLabel("Prompt").press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(card.getByTestId("receipt")).toContainText(/GPU .* turbo ×2 · charged/);

  await page.goto("/account");
  await expect(page.getByRole("cell", { name: "a small orange sun at the top" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/account.png`, fullPage: true });

  await page.goto("/admin");
  await expect(page.getByTestId("gpu-totals")).not.toContainText("Today0 ms");
  await expect(page.getByTestId("usage-chart")).toBeVisible();
  const usageRow = page.getByRole("table", { name: "Usage by user" }).getByRole("row", { name: new RegExp(E2E_ADMIN.email) });
  await expect(usageRow).toBeVisible();
  await expect(usageRow).toContainText(/imagine \d/);
  await expect(page.getByRole("table", { name: "Workers" })).toBeVisible();
  const csv = await page.request.get("/api/v1/admin/usage?groupBy=mode&format=csv");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/^mode,mode,jobs,gpu_hours,charged_hours\nturbo,turbo,[1-9]/m);
  await page.screenshot({ path: `${SHOTS}/admin-dashboard.png`, fullPage: true });

  // Someone who is not an admin gets neither the page nor the data.
  const visitor = await browser.newPage();
  await visitor.goto("/sign-up");
  await visitor.getByLabel("Email").fill(`not-admin-${Date.now()}@e2e.test`);
  await visitor.getByLabel("Password").fill("a long enough passphrase");
  await visitor.getByRole("button", { name: "Create account" }).click();
  await expect(visitor).toHaveURL(/\/create$/);
  await visitor.goto("/admin");
  await expect(visitor).toHaveURL(/\/create$/);
  expect((await visitor.request.get("/api/v1/admin/usage")).status()).toBe(403);
  await visitor.close();
});
