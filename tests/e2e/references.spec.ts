import sharp from "sharp";
import { expect, test, type Page } from "./fixtures";
import { shootAtBothSizes } from "./page-checks";

/**
 * References in the browser (issue 25): an image dropped on the imagine bar
 * used as a style reference (`--sref`), and a moodboard made from files whose
 * code steers a job with `--p`.
 */

/** A dark, slightly textured picture, as a user would drop one from their files. */
function darkPicture(): Promise<Buffer> {
  const pixels = Buffer.alloc(96 * 96 * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    const shade = 18 + ((i / 3) % 7) * 3;
    pixels.set([shade, shade, shade + 12], i);
  }
  return sharp(pixels, { raw: { width: 96, height: 96, channels: 3 } }).png().toBuffer();
}

async function signUp(page: Page) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`references-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
}

test("an image dropped on the imagine bar becomes a style reference, and the job runs with it", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page);
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a yellow star in the centre --draft");

  // Drop a file on the bar, as from a file manager.
  const base64 = (await darkPicture()).toString("base64");
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], "dark.png", { type: "image/png" }));
    return transfer;
  }, base64);
  await page.getByRole("form", { name: "Imagine" }).dispatchEvent("drop", { dataTransfer });
  const chip = page.getByTestId("image-prompt-chip");
  await expect(chip).toBeVisible();

  // It arrives as the image prompt; one click makes it a style reference instead, written into the prompt.
  await chip.getByRole("button", { name: "Use as style" }).click();
  await expect(chip).toHaveCount(0);
  await expect(prompt).toHaveValue(/^a yellow star in the centre --draft --sref [0-9a-f-]{36}$/);
  await expect(page.getByTestId("sends")).toContainText("--sref");
  await shootAtBothSizes(page, "references-sref");
  await prompt.press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(card).toContainText("a yellow star in the centre");
});

test("a moodboard made from files gives a --p code that a job uses", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page);
  await page.getByRole("link", { name: /Personalize/ }).first().click();
  await page.getByLabel("New moodboard name").fill("Night ink");
  await page.getByRole("button", { name: "Create moodboard" }).click();
  const board = page.getByRole("article", { name: "Moodboard Night ink" });
  await expect(board).toBeVisible();
  await board.getByTestId("moodboard-files").setInputFiles({ name: "dark.png", mimeType: "image/png", buffer: await darkPicture() });
  // Measured on the model's style axes when added.
  await expect(board).toContainText("Style:");
  await expect(board.getByRole("listitem")).toHaveCount(1);
  const code = (await board.getByTestId("moodboard-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[a-z0-9]+$/);
  await shootAtBothSizes(page, "references-moodboard", board);

  await page.getByRole("link", { name: /Create/ }).first().click();
  await page.getByLabel("Prompt").fill(`a red house on the left --draft --p ${code}`);
  await page.getByLabel("Prompt").press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  // The job's own record says which profile steered it.
  const { jobs } = (await (await page.request.get("/api/v1/jobs")).json()) as { jobs: unknown[] };
  expect(JSON.stringify(jobs[0])).toContain(code);
});

test("a --tile --sref random job: the large view shows its style code to copy, and a tiled preview without seams to hide", async ({ page, context }) => {
  test.setTimeout(240_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page);
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a red circle on a striped background --tile --sref random --draft");
  await prompt.press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await card.getByRole("button", { name: /Open image 1/ }).click();
  const viewer = page.getByRole("dialog", { name: "Image" });

  // The code `random` drew is in the job's record, shown with a copy button that puts `--sref CODE` on the clipboard.
  const details = viewer.getByRole("complementary", { name: "Image details and actions" });
  const code = (await details.locator("dt", { hasText: "Style code" }).locator("+ dd code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d+$/);
  await details.getByRole("button", { name: `Copy --sref ${code}` }).click();
  await expect(details.getByRole("button", { name: `Copy --sref ${code}` })).toContainText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`--sref ${code}`);

  // The tile, repeated 3 × 3 in place of the single image, and back.
  const toggle = viewer.getByRole("button", { name: "Tiled preview" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const tiled = viewer.getByRole("img", { name: /repeated 3 × 3$/ });
  await expect(tiled).toBeVisible();
  await expect(viewer.getByTestId("viewer-image")).toHaveCount(0);
  for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    const box = await tiled.boundingBox();
    expect(box && box.width > 100 && box.x >= 0 && box.x + box.width <= size.width + 1, `tiled preview inside a ${size.width}-px window`).toBeTruthy();
  }
  await shootAtBothSizes(page, "references-tiled-preview");
  await toggle.click();
  await expect(viewer.getByTestId("viewer-image")).toBeVisible();
});
