import { expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

// Issue 23: a six-turn Draft conversation with an undo, a branch from an
// earlier turn, and a question back whose reading is sent with one click.
test("a draft conversation: undo, a branch from an earlier turn, and a clarifying question", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`brancher-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  await page.goto("/draft");
  await page.getByLabel("Start a draft session with a prompt").fill("a red boat on the sea");
  await page.getByRole("button", { name: "Start drafting" }).click();
  await expect(page).toHaveURL(/\/draft\/[\w-]+$/);
  const turns = page.getByTestId("draft-turn");
  const say = async (text: string) => {
    await page.getByLabel("Message").fill(text);
    await page.getByLabel("Message").press("Enter");
  };

  await expect(turns).toHaveCount(1);
  await say("make it night");
  await expect(turns).toHaveCount(2);
  await expect(turns.nth(1).getByTestId("turn-prompt")).toContainText("under a night sky with stars");
  await say("add a moon");
  await expect(turns).toHaveCount(3);
  await expect(turns.nth(2).getByTestId("turn-prompt")).toContainText("moon");

  // Undo: back to turn 2, no new grid.
  await say("undo that");
  await expect(turns).toHaveCount(4);
  await expect(turns.nth(3)).toHaveAttribute("data-source", "undo");
  await expect(turns.nth(3).getByTestId("turn-lineage")).toHaveText("↺ back to turn 2");
  await expect(turns.nth(3).getByTestId("job-card")).toHaveCount(0);
  await expect(turns.nth(3).getByTestId("turn-prompt")).not.toContainText("moon");

  // The next edit continues from the restored turn.
  await say("make it wide");
  await expect(turns).toHaveCount(5);
  await expect(turns.nth(4).getByTestId("turn-prompt")).toContainText("--ar 16:9");
  await expect(turns.nth(4).getByTestId("turn-prompt")).not.toContainText("moon");

  // Click turn 3 to continue from it: a branch.
  await turns.nth(2).getByRole("button", { name: "Continue from here" }).click();
  await expect(page.getByTestId("continuing-from")).toContainText("turn 3");
  await say("more vivid");
  await expect(turns).toHaveCount(6);
  await expect(turns.nth(5).getByTestId("turn-prompt")).toContainText("moon");
  await expect(turns.nth(5).getByTestId("turn-prompt")).toContainText("vivid colours");
  await expect(turns.nth(5).getByTestId("turn-prompt")).not.toContainText("16:9");
  await expect(turns.nth(5).getByTestId("turn-lineage")).toHaveText("↳ branch from turn 3");
  await page.screenshot({ path: `${SHOTS}/draft-branches.png`, fullPage: true });

  // A vague request asks back; a reading is one click and drafts.
  await say("make it better");
  await expect(turns).toHaveCount(7);
  await expect(turns.nth(6).getByTestId("turn-question")).toBeVisible();
  await expect(turns.nth(6).getByTestId("job-card")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/draft-question.png`, fullPage: true });
  await turns.nth(6).getByRole("button", { name: "More detail" }).click();
  await expect(turns).toHaveCount(8);
  await expect(turns.nth(7).getByTestId("turn-prompt")).toContainText("detailed");
  await expect(turns.nth(7).getByTestId("job-card")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  // Each turn says what it cost; an undo made no grid and costs nothing, so it shows none.
  await expect(turns.nth(7).getByTestId("turn-cost")).toHaveText(/^charged \d/);
  await expect(turns.nth(3).getByTestId("turn-cost")).toHaveCount(0);

  // Draft images open in Create's large view, with its keys.
  await turns.nth(7).getByRole("button", { name: /Open image 1/ }).click();
  const viewer = page.getByRole("dialog", { name: "Image" });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByTestId("viewer-image")).toHaveAttribute("alt", /detailed/);
  await page.keyboard.press("ArrowRight");
  await expect(viewer).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/draft-large-view.png` });
  await page.keyboard.press("Escape");
  await expect(viewer).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/draft-after-reading.png`, fullPage: true });
});
