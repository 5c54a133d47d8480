import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

/**
 * Image prompts in the browser: attach a file with the imagine bar's Image
 * button, see it in the bar, generate with --iw, see the image prompt on the
 * job and in the large view's recipe; a GIF is refused with the server's
 * message; "Use image" on a result makes it the next image prompt.
 */
test("attach an image prompt, generate from it with --iw, then use a result as the next one", async ({ page }) => {
  test.setTimeout(240_000);
  const folder = await mkdtemp(path.join(tmpdir(), "mirage-e2e-upload-"));
  const split = path.join(folder, "split.png");
  const half = (background: string) => sharp({ create: { width: 64, height: 128, channels: 3, background } }).png().toBuffer();
  await writeFile(
    split,
    await sharp({ create: { width: 128, height: 128, channels: 3, background: "#000" } })
      .composite([{ input: await half("#1432c8"), left: 0, top: 0 }, { input: await half("#f0d21e"), left: 64, top: 0 }])
      .png()
      .toBuffer(),
  );
  const gif = path.join(folder, "not-allowed.gif");
  await writeFile(gif, await sharp({ create: { width: 8, height: 8, channels: 3, background: "#0f0" } }).gif().toBuffer());

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`image-prompt-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  // A GIF: refused, with the reason, and nothing attached.
  const file = page.getByTestId("image-prompt-input");
  await file.setInputFiles(gif);
  await expect(page.getByText("Only PNG, JPEG and WebP images can be uploaded; this file is a GIF file.")).toBeVisible();
  await expect(page.getByTestId("image-prompt-chip")).toHaveCount(0);

  // A PNG: attached, shown in the bar, and --iw is accepted with it.
  await file.setInputFiles(split);
  const chip = page.getByTestId("image-prompt-chip");
  await expect(chip.getByRole("img", { name: "Image prompt" })).toBeVisible();
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a red circle --iw 2 --draft");
  await expect(page.getByTestId("estimate")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/image-prompt-bar.png` });
  await prompt.press("Enter");

  const job = page.getByTestId("job-card").first();
  await expect(job).toContainText("a red circle");
  await expect(job.getByRole("img", { name: "Image prompt" })).toBeVisible();
  await expect(job).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(job.getByRole("button", { name: /Open image/ })).toHaveCount(4);
  await page.screenshot({ path: `${SHOTS}/image-prompt-grid.png`, fullPage: true });

  // The large view shows the image prompt and its weight with the recipe.
  await job.getByRole("button", { name: /Open image 1/ }).click();
  const viewer = page.getByRole("dialog", { name: "Image" });
  await expect(viewer).toContainText("Image prompt");
  await expect(viewer).toContainText("--iw 2");
  await expect(viewer).toContainText("image-prompt");
  await page.screenshot({ path: `${SHOTS}/image-prompt-viewer.png` });

  // "Use image": the result replaces the upload as the image prompt of the next job.
  await viewer.getByRole("button", { name: "Use image" }).click();
  await expect(viewer).toHaveCount(0);
  await expect(page.getByTestId("image-prompt-chip").getByRole("img")).toHaveAttribute("src", /\/api\/v1\/images\/.+\/file\?size=thumb/);
  await prompt.fill("a green tree --draft");
  await prompt.press("Enter");
  const next = page.getByTestId("job-card").first();
  await expect(next).toContainText("a green tree");
  await expect(next.getByRole("img", { name: "Image prompt" })).toHaveAttribute("src", /\/api\/v1\/images\//);
  await expect(next).toHaveAttribute("data-status", "completed", { timeout: 120_000 });

  // Removing it: the next prompt goes without one.
  await page.getByRole("button", { name: "Detach image" }).click();
  await expect(page.getByTestId("image-prompt-chip")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Image", exact: true })).toBeVisible();

  // Recent uploads: the PNG is there (the GIF never was); pick it again, then delete it.
  await page.getByRole("button", { name: "Recent uploads", exact: true }).click();
  const recent = page.getByRole("dialog", { name: "Recent uploads" });
  const earlier = recent.getByRole("button", { name: /Start from the upload of/ });
  await expect(earlier).toHaveCount(1);
  await earlier.click();
  await expect(recent).toHaveCount(0);
  await expect(page.getByTestId("image-prompt-chip").getByRole("img")).toHaveAttribute("src", /\/api\/v1\/uploads\//);
  await page.getByRole("button", { name: "Recent uploads", exact: true }).click();
  await recent.getByRole("listitem").hover();
  await recent.getByRole("button", { name: "Delete this upload" }).click();
  await expect(recent.getByText("Nothing uploaded yet.")).toBeVisible();
  // It was the attached image: it is detached too, so the next job cannot ask for a deleted upload.
  await expect(page.getByTestId("image-prompt-chip")).toHaveCount(0);

  // Organize: "Use image" opens Create with that image as the image prompt.
  await page.goto("/organize");
  await page.getByTestId("gallery-image").first().getByRole("button", { name: /^Open/ }).click();
  await page.getByRole("dialog", { name: "Image details" }).getByRole("link", { name: "Use image" }).click();
  await expect(page).toHaveURL(/\/create\?image=/);
  await expect(page.getByTestId("image-prompt-chip").getByRole("img")).toHaveAttribute("src", /\/api\/v1\/images\/.+\/file\?size=thumb/);
  await page.screenshot({ path: `${SHOTS}/image-prompt-from-organize.png` });
});
