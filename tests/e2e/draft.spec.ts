import { expect, test } from "./fixtures";

const SHOTS = "test-results/e2e/screenshots";

test("a draft session: prompt, two conversational edits, three draft grids, voice, then Enhance to full quality", async ({ page }) => {
  test.setTimeout(300_000);
  // A stand-in for the browser's speech recognition, to check the wiring.
  await page.addInitScript(() => {
    class FakeRecognition {
      lang = "en-US";
      interimResults = false;
      continuous = false;
      onresult: ((event: { results: Array<Array<{ transcript: string }>> }) => void) | null = null;
      onend: (() => void) | null = null;
      onerror: ((event: { error: string }) => void) | null = null;
      start() {
        setTimeout(() => {
          this.onresult?.({ results: [[{ transcript: "make it night" }]] });
          this.onend?.();
        }, 50);
      }
      stop() {
        this.onend?.();
      }
    }
    const scope = window as unknown as { SpeechRecognition: unknown; webkitSpeechRecognition: unknown };
    scope.SpeechRecognition = FakeRecognition;
    scope.webkitSpeechRecognition = FakeRecognition;
  });

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`drafter-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);

  await page.goto("/draft");
  await page.getByLabel("Start a draft session with a prompt").fill("a star over a boat at sea --ar 16:9");
  await page.getByRole("button", { name: "Start drafting" }).click();
  await expect(page).toHaveURL(/\/draft\/[\w-]+$/);
  const turns = page.getByTestId("draft-turn");
  await expect(turns).toHaveCount(1);
  await expect(turns.nth(0).getByTestId("turn-prompt")).toHaveText("a star over a boat at sea --ar 16:9 --draft");
  await expect(turns.nth(0).getByTestId("job-card")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(turns.nth(0).getByTestId("job-card")).toContainText("Draft");

  // First edit, typed.
  await page.getByLabel("Message").fill("can the boat be red?");
  await page.getByLabel("Message").press("Enter");
  await expect(turns).toHaveCount(2);
  await expect(turns.nth(1).getByTestId("turn-prompt")).toContainText("red boat");
  await expect(turns.nth(1).getByTestId("turn-prompt")).toContainText("--ar 16:9");
  await expect(turns.nth(1).getByLabel("What changed")).toContainText("red");

  // Second edit, spoken: the transcript lands in the box for review first.
  await page.getByRole("button", { name: "Speak" }).click();
  await expect(page.getByLabel("Message")).toHaveValue("make it night");
  await page.getByRole("button", { name: "Draft", exact: true }).click();
  await expect(turns).toHaveCount(3);
  await expect(turns.nth(2).getByTestId("turn-prompt")).toContainText("night");
  for (let index = 0; index < 3; index += 1) {
    await expect(turns.nth(index).getByTestId("job-card")).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
    await expect(turns.nth(index).getByTestId("job-card").getByRole("img")).toHaveCount(4);
  }
  await page.screenshot({ path: `${SHOTS}/draft-session.png`, fullPage: true });

  // Enhance one draft: a full-quality image appears under the turn, and in the Create feed.
  const lastGrid = turns.nth(2).getByTestId("job-card").first();
  await lastGrid.getByRole("listitem").first().hover();
  await lastGrid.getByRole("button", { name: "Enhance" }).first().click();
  const enhanced = turns.nth(2).getByTestId("job-card").nth(1);
  await expect(enhanced).toContainText("Enhance");
  await expect(enhanced).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(enhanced).not.toContainText("Draft");
  await page.screenshot({ path: `${SHOTS}/draft-enhanced.png`, fullPage: true });

  await page.goto("/create");
  await expect(page.getByTestId("job-card").first()).toContainText("Enhance");

  await page.goto("/draft");
  await expect(page.getByRole("link", { name: /a star over a boat at sea/ })).toBeVisible();
});
