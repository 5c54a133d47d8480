import { expect, test } from "./fixtures";
import { seriousViolations, shootAtBothSizes, signUpNew, SIZES } from "./page-checks";

/**
 * Issue 19: with a small-vocabulary model, the imagine bar offers what the
 * model knows, and a first prompt built from it works.
 */
test("the bar offers the bundled model's words, and a prompt built from them makes a grid", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(SIZES.desktop);
  await signUpNew(page, "words");
  const words = page.getByTestId("model-words");
  await words.getByText(/^Words .+ knows$/).click();
  for (const [group, phrase] of [
    ["Colours", "red"],
    ["Subjects", "circle"],
    ["Positions", "on the left"],
    ["Backgrounds", "under a sunset sky"],
  ] as const) {
    await words.getByRole("group", { name: group }).getByRole("button", { name: phrase, exact: true }).click();
  }
  await expect(page.getByLabel("Prompt")).toHaveValue("a red circle on the left, under a sunset sky");
  await expect(page.getByTestId("sends")).toContainText("a red circle on the left, under a sunset sky");
  expect(await seriousViolations(page)).toEqual([]);
  await shootAtBothSizes(page, "model-words", words);

  // A style phrase joins after the description, before typed parameters.
  await page.getByLabel("Prompt").fill("a blue fish --ar 16:9");
  await words.getByRole("group", { name: "Styles" }).getByRole("button", { name: "vivid colours", exact: true }).click();
  await expect(page.getByLabel("Prompt")).toHaveValue("a blue fish, vivid colours --ar 16:9");
  await page.getByLabel("Prompt").fill("a red circle on the left, under a sunset sky");
  await page.getByLabel("Prompt").press("Enter");
  const card = page.getByTestId("job-card").first();
  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
  await expect(card.getByRole("list", { name: "Images", exact: true }).getByRole("img")).toHaveCount(4);
});
