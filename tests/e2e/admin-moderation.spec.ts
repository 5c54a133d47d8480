import { expect, test, type Page } from "./fixtures";
import { shootAtBothSizes, signIn, SIZES } from "./page-checks";
import { E2E_ADMIN } from "../../playwright.config";

/**
 * Issue 26 (Moderation, audit): an admin blocks a word on /admin, a user's
 * prompt with that word (written with look-alikes) is refused on Create with
 * the policy's message, and the admin finds the refusal in the audit log by
 * kind and actor.
 */
const WORD = `blorv${Date.now().toString(36)}`;

async function savePolicy(page: Page, text: string) {
  const field = page.getByLabel("Blocked words and phrases");
  await field.fill(text);
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved:" })).toBeVisible();
}

test("an admin's prompt policy refuses a user's prompt, and the refusal is in the audit log", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(SIZES.desktop);
  await signIn(page, E2E_ADMIN);

  await page.goto("/admin");
  await savePolicy(page, `${WORD}\nforbidden phrase`);
  await expect(page.getByText("2 terms")).toBeVisible();

  const user = await browser.newPage();
  const email = `moderated-${Date.now()}@e2e.test`;
  await user.setViewportSize(SIZES.desktop);
  await user.goto("/sign-up");
  await user.getByLabel("Email").fill(email);
  await user.getByLabel("Password").fill("a long enough passphrase");
  await user.getByRole("button", { name: "Create account" }).click();
  await expect(user).toHaveURL(/\/create$/);
  // Look-alikes and case are folded: B1ORV… reads as blorv….
  await user.getByLabel("Prompt").fill(`a lighthouse made of ${WORD.toUpperCase().replace("L", "1").replace("O", "0")} at dusk`);
  await user.getByLabel("Prompt").press("Enter");
  await expect(user.getByRole("alert").filter({ hasText: "prompt policy" })).toBeVisible();
  await expect(user.getByTestId("job-card")).toHaveCount(0);
  await shootAtBothSizes(user, "moderation-refused");
  await user.close();

  await page.reload();
  const filters = page.getByRole("form", { name: "Filter the audit log" });
  await filters.getByLabel("Kind").selectOption("moderation.prompt_refused");
  await filters.getByLabel("Actor (email or id)").fill(email);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.getByRole("row")).toHaveCount(2);
  await expect(log.getByRole("row").nth(1)).toContainText(email);
  await expect(log.getByRole("row").nth(1)).toContainText(`term: ${WORD}`);
  await expect(filters.getByRole("link", { name: "Export audit log (CSV)" })).toHaveAttribute("href", /kind=moderation\.prompt_refused.*format=csv/);
  await page.getByRole("heading", { name: "Prompt policy" }).scrollIntoViewIfNeeded();
  await shootAtBothSizes(page, "admin-moderation-audit");

  // The policy change itself is audited, and the CSV export carries both events.
  const csv = await page.request.get(`/api/v1/admin/audit?actor=${encodeURIComponent(email)}&format=csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("moderation.prompt_refused");

  // /metrics is off in this studio: a JSON 404 that says how to turn it on.
  const metrics = await page.request.get("/metrics");
  expect(metrics.status()).toBe(404);
  expect(await metrics.text()).toContain("METRICS_TOKEN");

  await savePolicy(page, "");
});
