import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { E2E_HOME } from "../../playwright.config";

const SHOTS = "test-results/e2e/screenshots";
/** Where the e2e studio keeps image files (playwright.config.ts: MIRAGE_HOME; lib/launcher/main.ts: <home>/images). */
const STORAGE_DIR = `${E2E_HOME}/images`;

/**
 * Account: change the password (the old one stops working), then delete the
 * account: refused without the right password or the confirmation words,
 * then everything goes: the session, the sign-in and the user's files.
 */
test("change password, then delete my account with everything in it", async ({ page }) => {
  test.setTimeout(180_000);
  const email = `leaving-${Date.now()}@e2e.test`;
  const first = "a long enough passphrase";
  const second = "another long passphrase";

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(first);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  // Something to delete: a finished draft grid, whose files are on disk.
  const job = await page.evaluate(async () => (await (await fetch("/api/v1/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ prompt: "a small red circle --draft" }) })).json()) as { id: string });
  await expect.poll(async () => page.evaluate(async (id) => (await (await fetch(`/api/v1/jobs/${id}`)).json()).status, job.id), { timeout: 120_000 }).toBe("completed");
  const userId = await page.evaluate(async () => (await (await fetch("/api/auth/get-session")).json()).user.id as string);
  const userFiles = path.join(STORAGE_DIR, userId);
  expect(existsSync(userFiles)).toBe(true);

  await page.goto("/account");
  const passwordForm = page.getByRole("form", { name: "Change password" });
  await passwordForm.getByLabel("Current password").fill("not my password");
  await passwordForm.getByLabel(/^New password \(/).fill(second);
  await passwordForm.getByLabel("New password again").fill(second);
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(passwordForm.getByRole("alert")).toBeVisible();
  await passwordForm.getByLabel("Current password").fill(first);
  await passwordForm.getByLabel(/^New password \(/).fill(second);
  await passwordForm.getByLabel("New password again").fill(second);
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(passwordForm.getByRole("status")).toHaveText(/Password changed/);
  await page.screenshot({ path: `${SHOTS}/account-security.png`, fullPage: true });
  // (studio-a11y checks every page's width at phone size; this is for a person to look at.)
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/account-security-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Deleting asks for the password and the words; a wrong password changes nothing.
  await page.getByRole("button", { name: "Delete my account…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Your password").fill(first);
  await dialog.getByLabel(/^Type/).fill("delete my account");
  await page.screenshot({ path: `${SHOTS}/account-delete-dialog.png` });
  await dialog.getByRole("button", { name: "Delete everything" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  expect(existsSync(userFiles)).toBe(true);
  // Escape keeps the account.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: "Delete my account…" }).click();
  await dialog.getByLabel("Your password").fill(second);
  await dialog.getByLabel(/^Type/).fill("delete my account");
  await dialog.getByRole("button", { name: "Delete everything" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect.poll(() => existsSync(userFiles)).toBe(false);

  // The account is gone: signing in with either password fails.
  for (const password of [first, second]) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Invalid email or password")).toBeVisible();
  }
});
