import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { request, type APIRequestContext } from "@playwright/test";
import { Client } from "pg";
import { expect, test } from "./fixtures";
import { shootAtBothSizes, SIZES } from "./page-checks";
import { E2E_HOME } from "../../playwright.config";

/**
 * Issue 26 (team folders): two members of one team. Alice makes a team
 * folder and shares one of her images into it; Bob finds it in Organize
 * under the team's name, opens Alice's image read-only ("Added by Alice
 * Ames", no Vary or Like), adds his own image from the bulk actions and makes
 * a team folder of his own. Screenshots at desktop and phone width, where the
 * page must not scroll sideways. The team is made in the studio's database
 * directly (team management is its own feature, with its own spec).
 */
const PASSWORD = "a long enough passphrase";

/** The e2e studio's own database (playwright.config.ts: its port; lib/launcher/services.ts: user, password, name). */
async function studioDb(): Promise<Client> {
  const { postgresPassword } = JSON.parse(await readFile(path.join(E2E_HOME, "secrets.json"), "utf8")) as { postgresPassword: string };
  const client = new Client({ connectionString: `postgresql://mirage:${encodeURIComponent(postgresPassword)}@127.0.0.1:${process.env.E2E_PG_PORT ?? "54339"}/mirage` });
  await client.connect();
  return client;
}

/** Makes a finished draft grid (four images) and answers their ids. */
async function draftImages(api: APIRequestContext, base: string, prompt: string): Promise<string[]> {
  // A signed-in session's writes must come from the studio's own origin.
  const submitted = await api.post("/api/v1/jobs", { headers: { Origin: base }, data: { prompt: `${prompt} --draft` } });
  expect(submitted.status(), await submitted.text()).toBe(202);
  const job = (await submitted.json()) as { id: string };
  await expect.poll(async () => (await (await api.get(`/api/v1/jobs/${job.id}`)).json()).status, { timeout: 120_000 }).toBe("completed");
  return ((await (await api.get(`/api/v1/jobs/${job.id}`)).json()).images as Array<{ id: string }>).map((image) => image.id);
}

test("team folders: members see and add to them, read-only for teammates' images", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const base = baseURL ?? "";
  const stamp = Date.now().toString(36);
  const teamName = `Studio ${stamp}`;

  // Alice, over the API: a grid of her own.
  const alice = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base } });
  const aliceSignUp = await alice.post("/api/auth/sign-up/email", { data: { email: `alice-${stamp}@e2e.test`, password: PASSWORD, name: "Alice Ames" } });
  expect(aliceSignUp.ok()).toBe(true);
  const aliceId = ((await aliceSignUp.json()) as { user: { id: string } }).user.id;

  // Bob, in the browser.
  await page.setViewportSize(SIZES.desktop);
  const bobSignUp = await page.request.post("/api/auth/sign-up/email", { headers: { Origin: base }, data: { email: `bob-${stamp}@e2e.test`, password: PASSWORD, name: "Bob Baker" } });
  expect(bobSignUp.ok()).toBe(true);
  const bobId = ((await bobSignUp.json()) as { user: { id: string } }).user.id;

  const db = await studioDb();
  const teamId = randomUUID();
  try {
    await db.query(`INSERT INTO team (id, name, "updatedAt") VALUES ($1, $2, now())`, [teamId, teamName]);
    await db.query(`INSERT INTO team_member ("userId", "teamId", role) VALUES ($1, $3, 'owner'), ($2, $3, 'member')`, [aliceId, bobId, teamId]);
  } finally {
    await db.end();
  }

  const [aliceImage] = await draftImages(alice, base, "a red lighthouse on a cliff");
  const shared = await (await alice.post("/api/v1/folders", { data: { name: "Moodboard", team: true } })).json();
  expect(shared.team).toEqual({ id: teamId, name: teamName });
  expect((await alice.post(`/api/v1/folders/${shared.id}/images`, { data: { imageIds: [aliceImage] } })).status()).toBe(200);
  const bobImages = await draftImages(page.request, base, "a blue harbour crane at night");

  // Bob's Organize: the team's folders under the team's name.
  await page.goto("/organize");
  await expect(page.getByTestId("gallery-image")).toHaveCount(bobImages.length);
  const folders = page.getByRole("navigation", { name: "Folders" });
  const teamGroup = folders.getByRole("region", { name: `Team · ${teamName}` });
  await expect(teamGroup.getByRole("button", { name: /Moodboard/ })).toBeVisible();
  await expect(folders.getByRole("button", { name: "New team folder" })).toBeVisible();
  await shootAtBothSizes(page, "team-folders");

  // Inside it: Alice's image, labelled as hers, without her like button.
  await teamGroup.getByRole("button", { name: /Moodboard/ }).click();
  await expect(page).toHaveURL(new RegExp(`folder=${shared.id}`));
  await expect(page.getByTestId("gallery-image")).toHaveCount(1);
  await expect(page.getByTestId("gallery-image").first()).toContainText("Added by Alice Ames");
  await expect(page.getByTestId("gallery-image").first().getByRole("button", { name: "Like" })).toHaveCount(0);
  // Bob did not make it and does not own the team: no rename or delete.
  await expect(folders.getByRole("button", { name: "Rename folder" })).toHaveCount(0);
  await expect(folders.getByText(`Shared with ${teamName}`)).toBeVisible();

  // The large view: who added it, and only the reading actions.
  await page.getByTestId("gallery-image").first().getByRole("button", { name: /^Open/ }).click();
  const details = page.getByRole("dialog", { name: "Image details" });
  await expect(details.getByText("Added by Alice Ames").first()).toBeVisible();
  await expect(details.getByRole("button", { name: "Vary (Subtle)" })).toHaveCount(0);
  await expect(details.getByRole("button", { name: /Like/ })).toHaveCount(0);
  await expect(details.getByRole("link", { name: "Download" })).toBeVisible();
  const full = await page.request.get(`/api/v1/images/${aliceImage}/file?size=full`);
  expect(full.status()).toBe(200);
  expect(full.headers()["content-type"]).toMatch(/image\/png/);
  await shootAtBothSizes(page, "team-folders-detail");
  await details.getByRole("button", { name: "Close" }).click();

  // Bob adds one of his own from the bulk actions, by keyboard.
  await folders.getByRole("button", { name: "All images" }).click();
  await expect(page.getByTestId("gallery-image")).toHaveCount(bobImages.length);
  await page.getByTestId("gallery-image").first().getByRole("checkbox").focus();
  await page.keyboard.press("Enter");
  const selection = page.getByRole("toolbar", { name: "Selection" });
  await expect(selection).toContainText("1 selected");
  await selection.getByLabel("Add to folder").selectOption({ label: "Moodboard" });
  await expect(page.getByText("Added 1 image to Moodboard.")).toBeVisible();
  await expect(teamGroup.getByRole("button", { name: /Moodboard/ })).toContainText("2");
  await teamGroup.getByRole("button", { name: /Moodboard/ }).click();
  await expect(page.getByTestId("gallery-image")).toHaveCount(2);
  await expect(page.getByText("Added by Alice Ames")).toHaveCount(1);
  await shootAtBothSizes(page, "team-folders-shared");

  // A teammate's image cannot be varied: the API says whose it is.
  const vary = await page.request.post(`/api/v1/images/${aliceImage}/vary`, { headers: { Origin: base }, data: { strength: "subtle" } });
  expect(vary.status()).toBe(403);
  expect(((await vary.json()) as { error: { message: string } }).error.message).toMatch(/Alice Ames/);

  // Bob makes a team folder of his own; Alice sees it.
  await folders.getByRole("button", { name: "New team folder" }).click();
  await folders.getByLabel("Team folder name").fill("Cranes");
  await folders.getByLabel("Team folder name").press("Enter");
  await expect(teamGroup.getByRole("button", { name: /Cranes/ })).toBeVisible();
  await expect(folders.getByRole("button", { name: "Rename folder" })).toBeVisible();
  const aliceFolders = (await (await alice.get("/api/v1/folders")).json()) as { folders: Array<{ name: string; canManage: boolean }> };
  // Alice owns the team, so she manages every team folder.
  expect(aliceFolders.folders.map((folder) => [folder.name, folder.canManage])).toEqual([["Cranes", true], ["Moodboard", true]]);
  await alice.dispose();
});
