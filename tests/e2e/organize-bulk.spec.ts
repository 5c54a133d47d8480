import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "./fixtures";
import { unzipSync } from "fflate";

const SHOTS = "test-results/e2e/screenshots";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** Submits draft prompts through the API (with the page's session) and waits until every job is done. */
async function makeImages(page: Page, baseURL: string, prompts: string[]) {
  for (const prompt of prompts) {
    const response = await page.request.post("/api/v1/jobs", { data: { prompt }, headers: { Origin: baseURL } });
    expect(response.status(), await response.text()).toBe(202);
    const { jobIds } = (await response.json()) as { jobIds: string[] };
    for (const id of jobIds) {
      await expect.poll(async () => ((await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as { status: string }).status, { timeout: 120_000 }).toBe("completed");
    }
  }
}

test("organize: folders, smart folders, bulk select, zip download, delete with undo", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`bulk-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  // The first request of a run can be slow on a loaded machine.
  await expect(page).toHaveURL(/\/create$/, { timeout: 30_000 });
  await makeImages(page, baseURL ?? "", ["a yellow star over grass --draft", "a red boat at sea --draft"]);

  await page.goto("/organize");
  const images = page.getByTestId("gallery-image");
  const checkbox = (n: number) => images.nth(n).getByRole("checkbox");
  const toolbar = page.getByRole("toolbar", { name: "Selection" });
  const folders = page.getByRole("navigation", { name: "Folders" });
  await expect(images).toHaveCount(8);

  // A folder by hand.
  await folders.getByRole("button", { name: "New folder" }).click();
  await folders.getByLabel("Folder name").fill("Keepers");
  await folders.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/folder=/);
  await expect(page.getByText("Nothing in this folder yet.")).toBeVisible();
  await folders.getByRole("button", { name: "All images" }).click();
  await expect(images).toHaveCount(8);

  // Selection: click, shift-click a range, keys.
  await checkbox(0).click();
  await checkbox(2).click({ modifiers: ["Shift"] });
  await expect(toolbar).toContainText("3 selected");
  await expect(images.nth(1)).toHaveAttribute("data-selected", "true");
  await images.nth(4).getByRole("button", { name: /^Open/ }).focus();
  await page.keyboard.press("x");
  await expect(toolbar).toContainText("4 selected");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(toolbar).toContainText("5 selected");
  await expect(images.nth(5)).toHaveAttribute("data-selected", "true");
  await page.screenshot({ path: `${SHOTS}/organize-selection.png`, fullPage: true });
  await page.keyboard.press("Escape");
  await expect(toolbar).toHaveCount(0);
  await images.nth(0).getByRole("button", { name: /^Open/ }).focus();
  await page.keyboard.press("Control+a");
  await expect(toolbar).toContainText("8 selected");
  await page.keyboard.press("Escape");

  // Add three to the folder; the folder shows them.
  await checkbox(0).click();
  await checkbox(2).click({ modifiers: ["Shift"] });
  await toolbar.getByLabel("Add to folder").selectOption({ label: "Keepers" });
  await expect(page.getByRole("status")).toContainText("Added 3 images to Keepers");
  await folders.getByRole("button", { name: /^Keepers/ }).click();
  await expect(page).toHaveURL(/folder=/);
  await expect(images).toHaveCount(3);

  // Download them as a zip and look inside.
  await images.nth(0).getByRole("button", { name: /^Open/ }).focus();
  await page.keyboard.press("Control+a");
  await expect(toolbar).toContainText("3 selected");
  const [download] = await Promise.all([page.waitForEvent("download"), toolbar.getByRole("button", { name: "Download zip" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^mirage-3-images-.*\.zip$/);
  const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(entries)).toHaveLength(3);
  for (const [name, data] of Object.entries(entries)) {
    expect(name).toMatch(/^mirage-[\w-]+\.png$/);
    expect([...data.subarray(0, 4)]).toEqual(PNG_SIGNATURE);
  }
  await page.keyboard.press("Escape");

  // Rename the folder.
  await folders.getByRole("button", { name: "Rename folder" }).click();
  await folders.getByLabel("New folder name").fill("Best");
  await folders.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(folders.getByRole("button", { name: /^Best/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/organize-folder.png`, fullPage: true });

  // A smart folder: a saved search, shown live.
  await folders.getByRole("button", { name: "All images" }).click();
  await expect(page).not.toHaveURL(/folder=/);
  await expect(images).toHaveCount(8);
  await page.getByLabel("Search prompts").fill("boat");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(images).toHaveCount(4);
  await page.getByRole("button", { name: "Save as smart folder" }).click();
  await page.getByLabel("Smart folder name").fill("Boats");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\?folder=[^&]+$/);
  await expect(images).toHaveCount(4);
  await expect(folders).toContainText("Smart folder: \"boat\"");
  await page.screenshot({ path: `${SHOTS}/organize-smart-folder.png`, fullPage: true });

  // Delete two, undo while the toast shows; then delete one for good.
  await folders.getByRole("button", { name: "All images" }).click();
  await expect(page).not.toHaveURL(/folder=/);
  await expect(images).toHaveCount(8);
  await checkbox(0).click();
  await checkbox(1).click({ modifiers: ["Shift"] });
  await toolbar.getByRole("button", { name: "Delete" }).click();
  await expect(images).toHaveCount(6);
  await expect(page.getByRole("status")).toContainText("Deleted 2 images.");
  await page.screenshot({ path: `${SHOTS}/organize-delete-undo.png`, fullPage: true });
  await page.getByRole("status").getByRole("button", { name: "Undo" }).click();
  await expect(images).toHaveCount(8);

  await checkbox(0).click();
  await toolbar.getByRole("button", { name: "Delete" }).click();
  await expect(images).toHaveCount(7);
  await page.reload();
  await expect(images).toHaveCount(7);
  // The smart folder follows: one boat fewer.
  await folders.getByRole("button", { name: /Boats/ }).click();
  await expect(images).toHaveCount(3);

  // Deleting a folder keeps its images.
  await folders.getByRole("button", { name: /^Best/ }).click();
  await expect(folders.getByRole("button", { name: /^Best/ })).toHaveAttribute("aria-current", "page");
  await expect(images).toHaveCount(2);
  await folders.getByRole("button", { name: "Delete folder" }).click();
  await expect(folders).toContainText("Delete “Best”?");
  await folders.getByRole("button", { name: "Confirm delete" }).click();
  await expect(folders.getByRole("button", { name: "Confirm delete" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(page).not.toHaveURL(/folder=/);
  await expect(folders.getByRole("button", { name: /^Best/ })).toHaveCount(0);
  await expect(images).toHaveCount(7);
});
