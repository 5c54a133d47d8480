import { expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

/**
 * Describe in the browser, with the bundled mirage-tiny: make an image, upload
 * it to Describe, get four prompts in the model's caption grammar (the best
 * naming what the image shows), choose one and see it imagined.
 */
test("Describe an upload and imagine a suggestion", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`describe-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  // A picture to describe: a render of a known scene, fetched as a file the way a user would save it.
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a large red heart in the centre, under a night sky with stars --draft");
  await prompt.press("Enter");
  const made = page.getByTestId("job-card").first();
  await expect(made).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  const src = await made.getByRole("button", { name: /Open image 1/ }).locator("img").getAttribute("src");
  const file = await page.request.get(src!.replace("size=thumb", "size=full"));
  expect(file.ok()).toBe(true);

  await page.getByRole("button", { name: "Describe an image" }).click();
  const dialog = page.getByRole("dialog", { name: "Describe" });
  await dialog.getByLabel("Image to describe").setInputFiles({ name: "heart.png", mimeType: "image/png", buffer: await file.body() });
  const suggestions = dialog.getByRole("list", { name: "Suggested prompts" }).getByRole("button");
  await expect(suggestions).toHaveCount(4, { timeout: 60_000 });
  const best = (await suggestions.first().innerText()).toLowerCase();
  expect(best).toContain("red");
  expect(best).toContain("heart");
  expect(best).toContain("night");
  await page.screenshot({ path: `${SHOTS}/describe-desktop.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/describe-phone.png` });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Choosing a suggestion imagines it: a new job with that prompt.
  const chosen = (await suggestions.nth(1).getAttribute("aria-label"))!.replace(/^Imagine suggestion 2: /, "");
  await suggestions.nth(1).click();
  await expect(dialog).toHaveCount(0);
  const next = page.getByTestId("job-card").first();
  await expect(next).toContainText(chosen);
  await expect(next).toHaveAttribute("data-status", "completed", { timeout: 180_000 });
  await page.screenshot({ path: `${SHOTS}/describe-imagined.png` });

  // The large view offers Describe for one of your images too.
  await next.getByRole("button", { name: /Open image 1/ }).click();
  await page.getByRole("dialog", { name: "Image" }).getByRole("button", { name: "Describe" }).click();
  await expect(page.getByRole("dialog", { name: "Describe" }).getByRole("list", { name: "Suggested prompts" }).getByRole("button")).toHaveCount(4, { timeout: 60_000 });
});
