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
  // The chart speaks one unit, named in its caption and used by every tick.
  const unit = await page.getByTestId("usage-chart").getAttribute("data-unit");
  await expect(page.getByTestId("usage-chart").locator("figcaption")).toContainText(`GPU time per day, in ${{ h: "hours", min: "minutes", s: "seconds" }[unit ?? "s"]}`);
  // The value ticks are the chart's SVG labels that are a number and a unit (the day labels are dates);
  // the chart draws them once its container has been measured, so wait for them.
  const valueTicks = async () => (await page.getByTestId("usage-chart").locator("svg text").allTextContents()).filter((text) => /^\d+(\.\d+)? \S+$/.test(text));
  await expect.poll(async () => (await valueTicks()).length).toBeGreaterThan(1);
  const ticks = await valueTicks();
  for (const tick of ticks) expect(tick).toMatch(new RegExp(` ${unit}$`));

  // Plans: an edit waits for its row's Save, which lists the change and asks first.
  const price = page.getByLabel("$ / month of Basic");
  const before = await price.inputValue();
  await price.fill(String(Number(before) + 1));
  await page.getByRole("button", { name: "Save Basic" }).click();
  const confirm = page.getByRole("dialog", { name: "Save the Basic plan?" });
  await expect(confirm.getByRole("list", { name: "Changes" })).toHaveText(`$ / month: ${before} → ${Number(before) + 1}`);
  await page.screenshot({ path: `${SHOTS}/admin-plan-confirm.png` });
  await confirm.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Basic saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("$ / month of Basic")).toHaveValue(String(Number(before) + 1));
  // Put it back for the other tests, the same way.
  await page.getByLabel("$ / month of Basic").fill(before);
  await page.getByRole("button", { name: "Save Basic" }).click();
  await page.getByRole("dialog", { name: "Save the Basic plan?" }).getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Basic saved." })).toBeVisible();

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
