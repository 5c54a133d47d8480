import { devices } from "@playwright/test";
import { expect, test, watchConsole, type Page } from "../e2e/fixtures";
import { SSO_ACCOUNTS } from "../support/sso-accounts";

const SHOTS = "test-results/e2e-sso/screenshots";
const PHONE = { viewport: devices["iPhone 13"].viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

// The provider's own login page has no icon; Chromium logs its favicon 404 against the provider's origin.
test.use({ allowedConsoleErrors: [/404.*127\.0\.0\.1:\d+\/favicon\.ico/] });

/** From the studio's sign-in page through the provider's login page and back, signed in. */
async function signInThroughProvider(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test IdP" })).toBeVisible();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/create$/);
}

test("a designer signs in through the company's provider: account made on first sign-in, plan from their group", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/sign-in");
  // Password sign-in is off: the provider is the only way in.
  await expect(page.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/desktop-sign-in.png` });

  await signInThroughProvider(page, SSO_ACCOUNTS.designer.email);
  const account = page.getByRole("button", { name: new RegExp(SSO_ACCOUNTS.designer.email) });
  await expect(account).toContainText("Pro plan");
  await page.screenshot({ path: `${SHOTS}/desktop-signed-in.png` });
  // A user the provider put in no admin group is not an admin.
  expect((await page.request.get("/api/v1/admin/users")).status()).toBe(403);

  // Signing out ends the provider's session too (it asks first), then comes back to the studio's sign-in page;
  // signing in again lands on the same account.
  await account.click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signInThroughProvider(page, SSO_ACCOUNTS.designer.email);
  await expect(page.getByRole("button", { name: new RegExp(SSO_ACCOUNTS.designer.email) })).toBeVisible();
});

test("an admin group's member reaches the admin page; the flow fits a phone", async ({ browser, consoleErrors }) => {
  const context = await browser.newContext({ ...PHONE, baseURL: test.info().project.use.baseURL });
  watchConsole(context, consoleErrors, [/404.*127\.0\.0\.1:\d+\/favicon\.ico/]);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.screenshot({ path: `${SHOTS}/phone-sign-in.png` });
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.getByLabel("Work email").fill(SSO_ACCOUNTS.admin.email);
  await page.screenshot({ path: `${SHOTS}/phone-provider-login.png` });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/create$/);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/phone-admin.png` });
  await context.close();
});

test("an account the provider does not know is refused on the provider's page", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.getByLabel("Work email").fill("stranger@idp.test");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toHaveText("No account stranger@idp.test at this provider.");
});
