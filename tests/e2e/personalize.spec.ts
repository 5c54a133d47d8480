import { expect, test, type Page } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

interface TPair {
  pairId: string;
  left: { id: string; url: string };
  right: { id: string; url: string };
  progress: { ranked: number; required: number };
}

/** The ranking pool is rendered by the worker after start-up: wait until a pair is offered. */
async function firstPair(page: Page): Promise<TPair> {
  const deadline = Date.now() + 540_000;
  for (;;) {
    const response = await page.request.get("/api/v1/personalization/pairs/next");
    if (response.ok()) return (await response.json()) as TPair;
    expect(response.status(), await response.text()).toBe(503);
    if (Date.now() > deadline) throw new Error("the ranking pool was not rendered in time");
    await page.waitForTimeout(3_000);
  }
}

test("rank pairs with the keyboard to unlock a profile, then create with personalization on and off", async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`ranker-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  // The studio has just started (and its worker is rendering the ranking pool): allow a slow first sign-up.
  await expect(page).toHaveURL(/\/create$/, { timeout: 30_000 });
  const origin = new URL(page.url()).origin;

  // The side nav leads to the ranking screen.
  await page.getByRole("link", { name: /Personalize/ }).first().click();
  await expect(page).toHaveURL(/\/personalize$/);

  // Test-only shortcut: 196 answers through the same API the screen uses (always the left image).
  let pair = await firstPair(page);
  const required = pair.progress.required;
  for (let ranked = 0; ranked < required - 4; ranked++) {
    const answered = await page.request.post(`/api/v1/personalization/pairs/${pair.pairId}`, { data: { choice: "left", latencyMs: 500 }, headers: { Origin: origin } });
    expect(answered.status(), await answered.text()).toBe(200);
    if (ranked < required - 5) pair = (await (await page.request.get("/api/v1/personalization/pairs/next")).json()) as TPair;
  }

  // The rest by keyboard: 3 = skip (never counts), 1 = left, 2 = right.
  await page.reload();
  const progress = page.getByTestId("ranking-progress");
  await expect(progress).toHaveText(`${required - 4} / ${required}`);
  await expect(page.getByTestId("ranking-left").getByRole("img")).toBeVisible();
  await expect(page.getByTestId("ranking-right").getByRole("img")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/personalize-ranking.png`, fullPage: true });

  const pressAndWait = async (key: string, expected: number) => {
    const answered = page.waitForResponse((response) => response.url().includes("/api/v1/personalization/pairs/") && response.request().method() === "POST");
    await page.keyboard.press(key);
    expect((await answered).status()).toBe(200);
    await expect(progress).toHaveText(`${expected} / ${required}`);
  };
  await pressAndWait("3", required - 4);
  await expect(page.getByTestId("last-answer")).toHaveText("Answer 1: skipped");
  // Two keys at once, once the next pair waits preloaded behind the one on screen: neither is
  // dropped, and they count in order. (A key with no pair on screen has nothing to answer.)
  await expect(page.getByRole("region", { name: "Which image do you prefer?" })).not.toHaveAttribute("data-waiting", "0");
  await page.keyboard.press("1");
  await page.keyboard.press("2");
  await expect(page.getByTestId("last-answer")).toHaveText(/Answer 3: right chosen/);
  await expect(progress).toHaveText(`${required - 2} / ${required}`);
  await pressAndWait("1", required - 1);
  await expect(page.getByTestId("profile-unlocked")).toHaveCount(0);
  await pressAndWait("2", required);

  const unlocked = page.getByTestId("profile-unlocked");
  await expect(unlocked).toBeVisible();
  await expect(unlocked).toContainText("Profile unlocked");
  const code = (await page.getByTestId("profile-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[a-z0-9]{8}$/);
  await expect(unlocked).toContainText(code);
  await page.screenshot({ path: `${SHOTS}/personalize-unlocked.png`, fullPage: true });
  // Keyboard only: the dialog's button has focus; Enter dismisses it and ranking goes on.
  await page.keyboard.press("Enter");
  await expect(unlocked).toHaveCount(0);

  // Create: personalization is on by default after unlock (the settings switch says so), and the job records the code.
  await page.goto("/create");
  await page.getByRole("button", { name: "Settings" }).click();
  const toggle = page.getByTestId("personalization-toggle");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: `${SHOTS}/personalize-settings-on.png`, fullPage: true });
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a red boat --draft --seed 7");
  await prompt.press("Enter");
  const personalized = page.getByTestId("job-card").first();
  await expect(personalized).toHaveAttribute("data-status", "completed", { timeout: 180_000 });
  const jobs = async () => (await (await page.request.get("/api/v1/jobs")).json()) as { jobs: { recipe: { personalize: { enabled: boolean; codes: string[] } } }[] };
  expect((await jobs()).jobs[0]!.recipe.personalize).toEqual({ enabled: true, codes: [code] });

  // Off: the same prompt is unpersonalized.
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await prompt.fill("a red boat --draft --seed 7");
  await prompt.press("Enter");
  await expect(page.getByTestId("job-card")).toHaveCount(2);
  await expect(page.getByTestId("job-card").first()).toHaveAttribute("data-status", "completed", { timeout: 180_000 });
  expect((await jobs()).jobs[0]!.recipe.personalize.enabled).toBe(false);
  await page.screenshot({ path: `${SHOTS}/personalize-create-both.png`, fullPage: true });

  // On again; an unknown code is refused before anything is queued.
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const refused = await page.request.post("/api/v1/jobs", { data: { prompt: "a red boat --p zzzz0000" }, headers: { Origin: origin } });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("zzzz0000");
});
