import { expect, test } from "./fixtures";
import { shootAtBothSizes, signIn, SIZES } from "./page-checks";
import { E2E_ADMIN } from "../../playwright.config";

/**
 * Issue 20: the admin dashboard's capacity estimate. After a job has been
 * submitted, /admin says how many GPUs keep Fast p95 under 30 s for the last
 * seven days' mix, next to the mix it simulated; the endpoint behind it is
 * admin-only.
 */

test("the admin dashboard estimates the GPUs the last 7 days need; the estimate is admin-only", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(SIZES.desktop);
  await signIn(page, E2E_ADMIN);
  // At least one job in the window, whatever ran before this spec.
  await page.getByLabel("Prompt").fill("a red lighthouse at dusk --draft");
  await page.getByLabel("Prompt").press("Enter");
  // This job's own card, finished (earlier specs' cards are on the page too, and leaving at once would abort the submit).
  await expect(page.getByTestId("job-card").filter({ hasText: "a red lighthouse at dusk" })).toHaveAttribute("data-status", "completed", { timeout: 120_000 });

  await page.goto("/admin");
  const section = page.getByRole("region", { name: "Capacity" });
  await expect(section.getByTestId("capacity-sentence")).toHaveText(/^With this mix, \d+ GPUs? keeps? Fast p95 under 30 s\.$/);
  const mix = section.getByRole("table", { name: "Job mix and GPU time per kind" });
  await expect(mix.getByRole("row")).toHaveCount(5);
  await expect(mix.getByRole("row", { name: /Draft/ })).toContainText(/[1-9]\d* %/);
  await shootAtBothSizes(page, "admin-capacity", section);

  const estimate = await page.request.get("/api/v1/admin/capacity");
  expect(estimate.status()).toBe(200);
  const body = (await estimate.json()) as { jobs: number; gpus: number | null; windowDays: number };
  expect(body.windowDays).toBe(7);
  expect(body.jobs).toBeGreaterThan(0);
  expect(body.gpus).toBeGreaterThan(0);
  await expect(section.getByTestId("capacity-sentence")).toContainText(`${body.gpus} GPU`);

  // Someone who is not an admin gets a 403 naming the problem, not the estimate.
  const user = await browser.newPage();
  await user.goto("/sign-up");
  await user.getByLabel("Email").fill(`capacity-${Date.now()}@e2e.test`);
  await user.getByLabel("Password").fill("a long enough passphrase");
  await user.getByRole("button", { name: "Create account" }).click();
  await expect(user).toHaveURL(/\/create$/);
  const refused = await user.request.get("/api/v1/admin/capacity");
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  await user.close();
});
