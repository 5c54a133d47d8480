import { expect, test, type Page } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

async function signUp(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`creator-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
}

async function jobSize(page: Page, card: ReturnType<Page["getByTestId"]>) {
  const image = card.getByRole("list", { name: "Images", exact: true }).getByRole("img").first();
  await expect(image).toBeVisible();
  return image.evaluate((element: HTMLImageElement) => ({ width: Number(element.getAttribute("width")), height: Number(element.getAttribute("height")) }));
}

test("imagine a 16:9 grid with live progress, then Vary (Subtle) and Upscale (Subtle) it", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page);
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a large red house on the left under a sunset sky --ar 16:9 --chaos 250");
  await expect(page.getByText("--chaos must be a whole number from 0 to 100 (got 250).")).toBeVisible();
  await expect(page.getByRole("button", { name: "Imagine" })).toBeDisabled();
  await prompt.fill("a large red house on the left under a sunset sky --ar 16:9");
  await prompt.press("Enter");

  const first = page.getByTestId("job-card").first();
  await expect(first).toContainText("a large red house on the left under a sunset sky");
  await expect(first).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(first.getByRole("img")).toHaveCount(4);
  const size = await jobSize(page, first);
  expect(size.width / size.height).toBeGreaterThan(1.6);
  expect(size.width / size.height).toBeLessThan(1.9);
  await page.screenshot({ path: `${SHOTS}/create-grid.png`, fullPage: true });

  // Vary (Subtle) from the image's hover actions: a new job, same size, four images.
  await first.getByRole("listitem").first().hover();
  await first.getByRole("button", { name: "Vary (Subtle)" }).first().click();
  const vary = page.getByTestId("job-card").first();
  await expect(vary).toContainText("Vary (Subtle)");
  await expect(vary).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  // A Vary job shows the image it came from.
  await expect(vary.getByTestId("source-thumb")).toBeVisible();
  await expect(vary.getByRole("list", { name: "Images", exact: true }).getByRole("img")).toHaveCount(4);
  expect(await jobSize(page, vary)).toEqual(size);

  // Upscale (Subtle) from the large view: one image at twice the width and height.
  await vary.getByRole("button", { name: /Open image 2/ }).click();
  const viewer = page.getByRole("dialog", { name: "Image" });
  await expect(viewer).toContainText("Scheduler");
  await page.screenshot({ path: `${SHOTS}/create-viewer.png` });
  await viewer.getByRole("button", { name: "Upscale (Subtle)" }).click();
  const upscale = page.getByTestId("job-card").first();
  await expect(upscale).toContainText("Upscale (Subtle)");
  await expect(upscale).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(upscale.getByRole("list", { name: "Images", exact: true }).getByRole("img")).toHaveCount(1);
  expect(await jobSize(page, upscale)).toEqual({ width: size.width * 2, height: size.height * 2 });
  await page.screenshot({ path: `${SHOTS}/create-upscale.png`, fullPage: true });

  // The feed survives a reload (Postgres holds it), newest first.
  await page.reload();
  await expect(page.getByTestId("job-card")).toHaveCount(3);
  await expect(page.getByTestId("job-card").first()).toContainText("Upscale (Subtle)");
});

test("another user cannot see or act on someone else's job or image", async ({ page, browser }) => {
  await signUp(page);
  await page.getByLabel("Prompt").fill("a blue circle --draft");
  await page.getByLabel("Prompt").press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(card).toContainText("Draft");
  const imageUrl = await card.getByRole("img").first().getAttribute("src");
  const jobs = await (await page.request.get("/api/v1/jobs")).json();
  const jobId = jobs.jobs[0].id as string;

  const other = await browser.newPage();
  await signUp(other);
  expect((await other.request.get(`/api/v1/jobs/${jobId}`)).status()).toBe(404);
  expect((await other.request.get(imageUrl ?? "")).status()).toBe(404);
  const imageId = /images\/([^/]+)\//.exec(imageUrl ?? "")?.[1];
  const vary = await other.request.post(`/api/v1/images/${imageId}/vary`, { data: { strength: "subtle" }, headers: { Origin: new URL(other.url()).origin } });
  expect(vary.status()).toBe(404);
  await other.close();
});
