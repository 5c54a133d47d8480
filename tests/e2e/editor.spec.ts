import { expect, test, watchConsole, type Locator, type Page } from "./fixtures";

/**
 * The Editor as a person uses it (docs/editor.md §7–8): paint a mask with the
 * mouse and submit (four results in Create), the same with a finger at phone
 * size, Zoom Out from the large view, and a Remix that changes the prompt.
 */
const SHOTS = "test-results/e2e/screenshots/editor";

async function signUp(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`editor-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
}

/** Imagines `prompt` and waits for its grid. */
async function imagine(page: Page, prompt: string): Promise<Locator> {
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByLabel("Prompt").press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toContainText(prompt.replace(/ --.*$/, ""));
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  return card;
}

/** The newest job card once it is of `type` and completed, with its four images. */
async function expectFourResults(page: Page, type: string, count: number) {
  await expect(page.getByTestId("job-card")).toHaveCount(count);
  const card = page.getByTestId("job-card").first();
  await expect(card).toContainText(type);
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 180_000 });
  await expect(card.getByRole("list", { name: "Images", exact: true }).getByRole("img")).toHaveCount(4);
  return card;
}

/** The painted share of the mask canvas (its alpha), read from the page. */
function paintedShare(canvas: Locator) {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext("2d")!.getImageData(0, 0, element.width, element.height).data;
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) >= 128) painted += 1;
    return painted / (element.width * element.height);
  });
}

test("paint a mask with the mouse, undo and redo it, submit, and get four results; then Zoom Out 2× from the large view", async ({ page }) => {
  test.setTimeout(480_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signUp(page);
  const grid = await imagine(page, "a large red apple on a wooden table");

  await grid.getByRole("button", { name: /Open image 1/ }).click();
  const viewer = page.getByRole("dialog", { name: "Image" });
  await viewer.getByRole("button", { name: "Vary (Region)" }).click();
  const editor = page.getByRole("dialog", { name: "Editor" });
  await expect(editor.getByLabel("Prompt")).toHaveValue("a large red apple on a wooden table");
  await expect(editor.getByRole("button", { name: "Brush" })).toHaveAttribute("aria-pressed", "true");
  await editor.getByLabel("Brush size").fill("80");

  const canvas = editor.getByTestId("mask-canvas");
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.mouse.down();
  for (let step = 1; step <= 10; step += 1) await page.mouse.move(box.x + box.width * (0.3 + step * 0.04), box.y + box.height * 0.5, { steps: 2 });
  await page.mouse.up();
  const painted = await paintedShare(canvas);
  expect(painted).toBeGreaterThan(0.03);
  expect(painted).toBeLessThan(0.8);

  // Ctrl+Z takes the stroke back, Shift+Ctrl+Z brings it again; the buttons follow.
  await page.keyboard.press("Control+z");
  expect(await paintedShare(canvas)).toBe(0);
  await expect(editor.getByRole("button", { name: "Submit" })).toBeDisabled();
  await page.keyboard.press("Shift+Control+z");
  expect(await paintedShare(canvas)).toBeCloseTo(painted, 5);
  // A rectangle adds to the mask; Undo (the button) removes only it.
  await editor.getByRole("button", { name: "Rectangle" }).click();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25, { steps: 4 });
  await page.mouse.up();
  expect(await paintedShare(canvas)).toBeGreaterThan(painted);
  await editor.getByRole("button", { name: "Undo" }).click();
  expect(await paintedShare(canvas)).toBeCloseTo(painted, 5);
  await page.screenshot({ path: `${SHOTS}/editor-desktop.png` });

  await editor.getByRole("button", { name: "Submit" }).click();
  await expect(editor).toBeHidden();
  const region = await expectFourResults(page, "Vary (Region)", 2);
  // Read now: `region` is the newest card, which the next job will be.
  const regionSize = (await region.textContent())?.match(/\d+×\d+/)?.[0];
  await page.screenshot({ path: `${SHOTS}/region-results-desktop.png`, fullPage: true });

  // Zoom Out 2× from the large view: the same size, four results.
  await page.getByTestId("job-card").first().getByRole("button", { name: /Open image 2/ }).click();
  await page.getByRole("dialog", { name: "Image" }).getByRole("button", { name: "Zoom Out 2×" }).click();
  const zoom = await expectFourResults(page, "Zoom Out", 3);
  await expect(zoom).toContainText(/Zoom Out · (\d+)×(\d+)/);
  expect((await zoom.textContent())?.match(/\d+×\d+/)?.[0]).toBe(regionSize);
  await page.screenshot({ path: `${SHOTS}/zoom-results-desktop.png`, fullPage: true });
});

test("Remix: with the switch on, Pan asks for the prompt first and the job uses the new one", async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signUp(page);
  const grid = await imagine(page, "a small blue boat on a calm lake");
  // Read now: `grid` is the newest card, which the Pan will be.
  const gridSize = (await grid.textContent())?.match(/(\d+)×(\d+)/);

  await page.getByRole("button", { name: "Settings" }).click();
  const remix = page.getByRole("switch", { name: /Remix/ });
  await expect(remix).toHaveAttribute("aria-checked", "false");
  await remix.click();
  await expect(remix).toHaveAttribute("aria-checked", "true");
  // Saved on the server: a reload keeps it.
  await expect.poll(async () => {
    await page.waitForTimeout(700);
    await page.reload();
    await page.getByRole("button", { name: "Settings" }).click();
    return page.getByRole("switch", { name: /Remix/ }).getAttribute("aria-checked");
  }, { timeout: 20_000 }).toBe("true");

  await page.getByTestId("job-card").first().getByRole("button", { name: /Open image 1/ }).click();
  await page.getByRole("dialog", { name: "Image" }).getByRole("button", { name: "Pan right" }).click();
  const dialog = page.getByRole("dialog", { name: "Remix: Pan right" });
  const field = dialog.getByLabel("Prompt");
  await expect(field).toHaveValue("a small blue boat on a calm lake");
  await field.fill("a small blue boat on a calm lake beside a lighthouse");
  await page.screenshot({ path: `${SHOTS}/remix-desktop.png` });
  await dialog.getByRole("button", { name: "Pan right" }).click();
  await expect(dialog).toBeHidden();
  const pan = await expectFourResults(page, "Pan", 2);
  await expect(pan).toContainText("a small blue boat on a calm lake beside a lighthouse");
  // Pan → grows the width by half: wider than the grid it came from.
  const panSize = (await pan.textContent())?.match(/(\d+)×(\d+)/);
  expect(gridSize).toBeTruthy();
  expect(Number(panSize?.[1])).toBeGreaterThan(Number(gridSize?.[1]));
  expect(panSize?.[2]).toBe(gridSize?.[2]);
  await page.screenshot({ path: `${SHOTS}/remix-results-desktop.png`, fullPage: true });
});

test("at phone size a finger paints the mask in a full-screen Editor and Submit makes four results", async ({ browser, consoleErrors }) => {
  test.setTimeout(360_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  watchConsole(context, consoleErrors);
  const page = await context.newPage();
  await signUp(page);
  const grid = await imagine(page, "a green cactus in a clay pot");

  await grid.getByRole("button", { name: /Open image 1/ }).tap();
  await page.getByRole("dialog", { name: "Image" }).getByRole("button", { name: "Vary (Region)" }).tap();
  const editor = page.getByRole("dialog", { name: "Editor" });
  const canvas = editor.getByTestId("mask-canvas");
  const box = (await canvas.boundingBox())!;
  // The Editor fills the screen: the picture spans (nearly) the phone's width.
  expect(box.width).toBeGreaterThan(300);
  // A finger drag: real touch events through the DevTools protocol, which Chromium turns into pointer events.
  const cdp = await context.newCDPSession(page);
  const at = (fx: number, fy: number) => [{ x: box.x + box.width * fx, y: box.y + box.height * fy }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0.3, 0.3) });
  for (let step = 1; step <= 12; step += 1) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(0.3 + step * 0.03, 0.3 + step * 0.03) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  expect(await paintedShare(canvas)).toBeGreaterThan(0.02);
  await expect(editor.getByRole("button", { name: "Undo" })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/editor-phone.png` });

  await editor.getByRole("button", { name: "Submit" }).tap();
  await expect(editor).toBeHidden();
  await expectFourResults(page, "Vary (Region)", 2);
  await page.screenshot({ path: `${SHOTS}/region-results-phone.png`, fullPage: true });
  await context.close();
});

test("Escape closes the Editor and focus returns to the button that opened it", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page);
  const grid = await imagine(page, "a yellow kite --draft");
  await grid.getByRole("button", { name: /Open image 1/ }).click();
  const open = page.getByRole("dialog", { name: "Image" }).getByRole("button", { name: "Vary (Region)" });
  await open.click();
  const editor = page.getByRole("dialog", { name: "Editor" });
  await expect(editor).toBeVisible();
  await editor.getByRole("button", { name: "Lasso" }).focus();
  await page.keyboard.press("Enter");
  await expect(editor.getByRole("button", { name: "Lasso" })).toHaveAttribute("aria-pressed", "true");
  await expect(editor.getByRole("button", { name: "Brush" })).toHaveAttribute("aria-pressed", "false");
  await page.keyboard.press("Escape");
  await expect(editor).toBeHidden();
  await expect(page.getByRole("dialog", { name: "Image" })).toBeVisible();
  await expect(open).toBeFocused();
});
