import { expect, test, type Page } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

// Going offline (below) makes Chromium log the event stream's failed reconnect.
test.use({ allowedConsoleErrors: [/ERR_INTERNET_DISCONNECTED/] });

async function signUp(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`previews-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  // Generous: the first sign-up of a fresh studio on a loaded 2-core machine can take a while.
  await expect(page).toHaveURL(/\/create$/, { timeout: 60_000 });
}

/**
 * The accessible name ("Job: <prompt>") of a card whose tiles show a loaded
 * preview image while its status reads "Generating N %", caught on the first
 * animation frame it is true (a bundled-model job runs for well under a
 * second on a quiet machine). A name, not a position: cards submitted after
 * the catch move it down the feed.
 */
function runningCardWithPreview(page: Page) {
  return page.waitForFunction(
    () => {
      const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="job-card"]')];
      const card = cards.find((candidate) => {
        const status = candidate.querySelector('[data-testid="job-status"]')?.textContent ?? "";
        const images = [...candidate.querySelectorAll<HTMLImageElement>('[data-testid="preview-image"]')];
        return /^Generating \d+ %$/.test(status) && images.length > 0 && images.every((image) => image.complete && image.naturalWidth > 0);
      });
      return card?.getAttribute("aria-label") ?? null;
    },
    undefined,
    { polling: "raf", timeout: 120_000 },
  );
}

test("running jobs show their place in the queue, then the four images forming with a percentage", async ({ page, context }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signUp(page);
  const prompts = [
    "a large red circle on the left under a sunset sky",
    "a small blue fish at the bottom above the sea",
    "a yellow star in the centre under a night sky",
    "a green tree on the right over a green meadow",
    "a large purple heart at the top in the snow",
  ];
  const sawQueue = page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="job-status"]')].some((status) => /^Queued · (\d+ ahead|next)$/.test(status.textContent ?? "")),
    undefined,
    { polling: "raf", timeout: 120_000 },
  );
  const caught = runningCardWithPreview(page);
  for (const [index, prompt] of prompts.entries()) {
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByLabel("Prompt").press("Enter");
    await expect(page.getByTestId("job-card")).toHaveCount(index + 1);
  }
  await sawQueue;

  // Freeze the caught state by taking the browser offline: the stream stops, the card keeps what it last showed.
  const cardNamed = async (name: Promise<{ jsonValue(): Promise<unknown> }>) => page.getByRole("article", { name: String(await (await name).jsonValue()), exact: true });
  let card = await cardNamed(caught);
  await context.setOffline(true);
  // An event can land between the catch and going offline ("Saving", or the finished images).
  const frozenWhileForming = async () => /^Generating \d+ %$/.test((await card.getByTestId("job-status").allTextContents())[0] ?? "");
  for (let attempt = 0; attempt < prompts.length && !(await frozenWhileForming()); attempt += 1) {
    // That job moved on in the instant before the stream stopped: catch the next one.
    await context.setOffline(false);
    card = await cardNamed(runningCardWithPreview(page));
    await context.setOffline(true);
  }
  const tiles = card.getByRole("list", { name: "Images forming" });
  await expect(tiles.getByRole("img")).toHaveCount(4);
  await expect(tiles.getByRole("img").first()).toHaveAccessibleName("Image 1 forming");
  await expect(card.getByRole("status")).toHaveText(/^Generating \d+ %$/);
  await expect(card).not.toContainText("Waiting for a GPU");
  // The words and the bar agree, read from one rendering (should an event still land, both move together).
  const shown = await card.evaluate((element) => ({
    status: element.querySelector('[role="status"]')?.textContent ?? "",
    bar: element.querySelector('[role="progressbar"][aria-label="Progress"]')?.getAttribute("aria-valuenow") ?? null,
  }));
  const percent = Number(shown.status.match(/^Generating (\d+) %$/)?.[1]);
  expect(percent).toBeGreaterThan(0);
  expect(percent).toBeLessThan(100);
  expect(shown.bar).toBe(String(percent));
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/live-preview-desktop.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/live-preview-phone.png` });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Back online, every job completes and its tiles give way to the finished images.
  await context.setOffline(false);
  for (let index = 0; index < prompts.length; index += 1) {
    const job = page.getByTestId("job-card").nth(index);
    await expect(job).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
    await expect(job.getByRole("list", { name: "Images forming" })).toHaveCount(0);
    await expect(job.getByRole("list", { name: "Images", exact: true }).getByRole("img")).toHaveCount(4);
  }
});
