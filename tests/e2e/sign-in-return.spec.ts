import { E2E_ADMIN } from "../../playwright.config";
import { expect, test } from "./fixtures";

// Issue 19: sign-in remembers where you were going; a signed-in visitor of /sign-in goes on; unknown pages look like the studio.
test("sign-in returns to the page asked for, and a signed-in user skips /sign-in", async ({ page }) => {
  await page.goto("/organize?liked=1");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Forganize%3Fliked%3D1$/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/organize\?liked=1$/);
  await expect(page.getByRole("heading", { name: "Organize" })).toBeVisible();

  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/create$/);
  // A return address off this studio is ignored.
  await page.goto("/sign-in?next=%2F%2Fevil.example%2F");
  await expect(page).toHaveURL(/\/create$/);
});
