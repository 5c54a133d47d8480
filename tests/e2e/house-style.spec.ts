import { request } from "@playwright/test";
import sharp from "sharp";
import { expect, test } from "./fixtures";
import { overflowing, seriousViolations, shootAtBothSizes, signIn, SIZES } from "./page-checks";
import { E2E_ADMIN } from "../../playwright.config";

/**
 * Issue 26 (house style): a member makes a moodboard of dark pictures, an
 * admin pools the team's house style from it on /admin/teams/[id]/style,
 * nudges a named slider, saves that as a new version and pins it; the
 * member's `--p` job then records the pinned code, and /personalize tells
 * the member what a bare `--p` now means. Screenshots at desktop and phone
 * width, where the page must not scroll sideways.
 */

// /personalize asks for a ranking pair at once; until the worker has rendered the pool that is a 503 the screen shows itself.
test.use({ allowedConsoleErrors: [/status of 503.*\/api\/v1\/personalization\/pairs\/next/] });

test("an admin pools, adjusts and pins a team's house style, and a member's --p uses it", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const base = baseURL ?? "";
  const stamp = Date.now().toString(36);

  // The member: signed up over the API, with a moodboard of one dark picture.
  const member = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base } });
  const memberEmail = `stylist-${stamp}@e2e.test`;
  expect((await member.post("/api/auth/sign-up/email", { data: { email: memberEmail, password: "a long enough passphrase", name: "stylist" } })).ok()).toBe(true);
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 14, g: 16, b: 30 } } }).png().toBuffer();
  const upload = await (await member.post("/api/v1/uploads", { data: png, headers: { "Content-Type": "image/png" } })).json();
  const board = await member.post("/api/v1/moodboards", { data: { name: "Night", images: [{ uploadId: upload.id }] } });
  expect(board.status()).toBe(201);

  await page.setViewportSize(SIZES.desktop);
  await signIn(page, E2E_ADMIN);
  const admin = { headers: { Origin: base } };
  const team = await (await page.request.post("/api/v1/admin/teams", { ...admin, data: { name: `Studio ${stamp}` } })).json();
  expect(team.id).toBeTruthy();
  expect((await page.request.post(`/api/v1/admin/teams/${team.id}/members`, { ...admin, data: { email: memberEmail } })).status()).toBe(201);

  await page.goto(`/admin/teams/${team.id}/style`);
  await expect(page.getByRole("heading", { name: `House style · Studio ${stamp}` })).toBeVisible();
  await expect(page.getByText("Nothing is pinned")).toBeVisible();
  await page.getByRole("button", { name: "Pool from members" }).click();
  await expect(page.getByRole("status").filter({ hasText: "New version" })).toBeVisible();
  const versions = page.getByRole("list", { name: /House style versions/ });
  await expect(versions.getByRole("listitem")).toHaveCount(1);
  await expect(versions.getByRole("listitem").first()).toContainText("Pooled from 1 member: 0 profiles, 1 moodboard");
  // The dark moodboard sits towards the dark pole of brightness.
  const brightness = page.getByRole("slider", { name: "brightness" });
  expect(Number(await brightness.inputValue())).toBeLessThan(0);

  // Nudge saturation four steps towards its positive phrase, save, pin.
  const saturation = page.getByRole("slider", { name: "saturation" });
  const before = Number(await saturation.inputValue());
  await saturation.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  expect(Number(await saturation.inputValue())).toBeGreaterThan(before);
  await expect(saturation).toHaveAttribute("aria-valuetext", /towards|neutral/);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version" })).toBeVisible();
  await expect(versions.getByRole("listitem")).toHaveCount(2);
  const adjusted = versions.getByRole("listitem").first();
  await expect(adjusted).toContainText(/Adjusted from [a-z0-9]{8} \(pooled from 1 member: 0 profiles, 1 moodboard\)/);
  const code = (await adjusted.getByRole("button", { name: /^Copy --p / }).innerText()).trim();
  await page.getByRole("button", { name: `Pin ${code}` }).first().click();
  await expect(page.getByRole("status").filter({ hasText: `Pinned ${code}` })).toBeVisible();
  await expect(adjusted.getByText("Pinned", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unpin" })).toBeVisible();
  await shootAtBothSizes(page, "house-style");

  // The member's `--p` is now the house style: the job's recipe names the pinned code.
  const job = await member.post("/api/v1/jobs", { data: { prompt: "a red boat --p --draft" } });
  expect(job.status()).toBe(202);
  expect((await job.json()).recipe.personalize.codes).toEqual([code]);
  await member.dispose();

  // /personalize says so: to the member, not to the admin (in no team). It is a labelled note that wraps at phone width.
  await page.goto("/personalize");
  await expect(page.getByRole("heading", { name: "Personalize" })).toBeVisible();
  await expect(page.getByRole("note", { name: "What --p means in your team" })).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, { email: memberEmail, password: "a long enough passphrase" });
  await page.goto("/personalize");
  const note = page.getByRole("note", { name: "What --p means in your team" });
  await expect(note).toContainText(new RegExp(`^In team Studio ${stamp}, --p alone uses the team's house style \\(code ${code}, for [\\w.-]+\\)\\.`));
  // The member has a moodboard but no profile yet: the note says how to get one, to use it by its code.
  await expect(note).toContainText("Your own profile: rank 200 pairs here to unlock it, then name its code with --p.");
  await page.setViewportSize(SIZES.phone);
  expect(await overflowing(page, SIZES.phone.width)).toEqual([]);
  expect((await note.boundingBox())!.width).toBeLessThanOrEqual(SIZES.phone.width);
  expect(await seriousViolations(page)).toEqual([]);
  await shootAtBothSizes(page, "personalize-house-style", note);
});
