import { expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

test("organize: find images by search and likes, and walk their lineage", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`organizer-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  for (const [index, prompt] of ["a green fish at sea --draft", "a white moon under a night sky with stars --draft"].entries()) {
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByLabel("Prompt").press("Enter");
    // Wait for this prompt's card before waiting for it to finish (else the previous, finished card satisfies the wait).
    await expect(page.getByTestId("job-card")).toHaveCount(index + 1);
    await expect(page.getByTestId("job-card").first()).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  }
  const moon = page.getByTestId("job-card").first();
  await moon.getByRole("listitem").first().hover();
  await expect(moon).toContainText("moon");
  await moon.getByRole("button", { name: "Vary (Subtle)" }).first().click();
  await expect(page.getByTestId("job-card")).toHaveCount(3);
  await expect(page.getByTestId("job-card").first()).toContainText("Vary (Subtle)");
  await expect(page.getByTestId("job-card").first()).toHaveAttribute("data-status", "completed", { timeout: 120_000 });

  await page.goto("/organize");
  await expect(page.getByTestId("gallery-image")).toHaveCount(12);
  await page.screenshot({ path: `${SHOTS}/organize.png`, fullPage: true });

  // Search is full-text over prompts, and the URL keeps it.
  await page.getByLabel("Search prompts").fill("fish");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=fish/);
  await expect(page.getByTestId("gallery-image")).toHaveCount(4);

  // Like one, then show liked only.
  await page.getByTestId("gallery-image").first().hover();
  await page.getByTestId("gallery-image").first().getByRole("button", { name: "Like" }).click();
  await page.getByLabel("Liked").click();
  await expect(page).toHaveURL(/liked=1/);
  await expect(page.getByTestId("gallery-image")).toHaveCount(1);

  // A Vary image knows where it came from.
  await page.goto("/organize?type=vary");
  await expect(page.getByTestId("gallery-image")).toHaveCount(4);
  await page.getByTestId("gallery-image").first().getByRole("button", { name: /^Open/ }).click();
  const details = page.getByRole("dialog", { name: "Image details" });
  await expect(details.getByRole("region", { name: "Lineage" }).getByRole("button", { name: "imagine" })).toBeVisible();
  await expect(details.getByLabel("Recipe")).toContainText("Seed");
  await page.screenshot({ path: `${SHOTS}/organize-lineage.png` });
  await details.getByRole("region", { name: "Lineage" }).getByRole("button", { name: "imagine" }).click();
  await expect(details.getByRole("region", { name: "Lineage" })).toContainText("vary-subtle");
  // Made with the studio itself, not through an outside API.
  await expect(details.getByLabel("Recipe")).toContainText(/Made with\s*Mirage/);

  // The Editor opens from Organize too: a rectangle over the middle, Submit, and the edit is in Create.
  await details.getByRole("button", { name: "Vary (Region)" }).click();
  const editor = page.getByRole("dialog", { name: "Editor" });
  await editor.getByRole("button", { name: "Rectangle" }).click();
  const box = (await editor.getByTestId("mask-canvas").boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await editor.getByRole("button", { name: "Submit" }).click();
  await expect(page).toHaveURL(/\/create$/);
  await expect(page.getByTestId("job-card").first()).toContainText("Vary (Region)");
});
