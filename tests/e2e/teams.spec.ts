import { request, type Browser } from "@playwright/test";
import { E2E_ADMIN } from "../../playwright.config";
import { expect, test, watchConsole, type Page } from "./fixtures";
import { overflowing, seriousViolations, SHOTS, signIn, SIZES } from "./page-checks";

/**
 * Teams (issue 26, Managing teams): an admin creates a team on a plan, adds
 * a member by email as its owner, grants the pool hours and sets a policy
 * term on /admin/teams; the member sees the team and its pool on Account,
 * manages its members there, and a prompt with the team's term is refused
 * on Create naming the team's policy. Each page is checked with axe and for
 * overflow at desktop (1440×900) and phone (390×844) size, with screenshots.
 */
const stamp = Date.now().toString(36);
const TEAM = `Atelier ${stamp}`;
const WORD = `snarv${stamp}`;

/**
 * Screenshots of `path` at both sizes (the phone with mobile emulation, where
 * an over-wide element widens the layout), each checked with axe and for overflow.
 */
async function shootAndCheck(browser: Browser, page: Page, path: string, name: string, consoleErrors: string[]): Promise<string[]> {
  const problems: string[] = [];
  const storageState = await page.context().storageState();
  for (const [label, viewport] of Object.entries(SIZES)) {
    const isMobile = label === "phone";
    const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, deviceScaleFactor: isMobile ? 3 : 1, storageState });
    watchConsole(context, consoleErrors);
    const view = await context.newPage();
    await view.goto(path);
    await expect(view.locator("h1").first()).toBeVisible();
    await view.screenshot({ path: `${SHOTS}/${name}-${label}.png`, fullPage: true });
    for (const violation of await seriousViolations(view)) problems.push(`${label} ${path} axe ${violation}`);
    for (const element of await overflowing(view, viewport.width)) problems.push(`${label} ${path} wider than the device: ${element}`);
    await context.close();
  }
  return problems;
}

test("an admin runs a team; its owner sees the pool on Account and its policy term is refused", async ({ page, browser, baseURL, consoleErrors }) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  // Two accounts to add: the future owner and a colleague.
  const owner = { email: `team-owner-${stamp}@e2e.test`, password: "a long enough passphrase" };
  const colleague = { email: `team-colleague-${stamp}@e2e.test`, password: "a long enough passphrase" };
  for (const account of [owner, colleague]) {
    const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL ?? "" } });
    expect((await api.post("/api/auth/sign-up/email", { data: { ...account, name: account.email.split("@")[0] } })).ok()).toBe(true);
    await api.dispose();
  }

  await page.setViewportSize(SIZES.desktop);
  await signIn(page, E2E_ADMIN);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Manage teams" }).click();
  await expect(page).toHaveURL(/\/admin\/teams$/);

  // Create the team on a plan.
  await page.getByLabel("Team name").fill(TEAM);
  await page.getByLabel("Plan (the pool's monthly fast time)").selectOption("Pro");
  await page.getByRole("button", { name: "Create team" }).click();
  const teams = page.getByRole("table", { name: "Teams" });
  await expect(teams.getByRole("row", { name: new RegExp(TEAM) })).toContainText("Pro");
  await teams.getByRole("link", { name: TEAM }).click();
  await expect(page.getByRole("heading", { level: 1, name: TEAM })).toBeVisible();

  // Add the owner, then the colleague.
  await page.getByLabel("Email of the person to add").fill(owner.email);
  await page.getByLabel("Role", { exact: true }).selectOption("owner");
  await page.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("table", { name: `Members of ${TEAM}` });
  await expect(members.getByRole("row", { name: new RegExp(owner.email) })).toBeVisible();
  await expect(members.getByLabel(`Role of ${owner.email}`)).toHaveValue("owner");

  // Grant hours to the pool.
  await page.getByRole("button", { name: "Grant hours" }).click();
  const dialog = page.getByRole("dialog", { name: `Grant hours to ${TEAM}` });
  await dialog.getByLabel("Hours").fill("2");
  await dialog.getByLabel(/Note/).fill("launch week");
  await dialog.getByRole("button", { name: "Grant" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("pool-granted")).toHaveText("2.00 h");

  // A policy term of the team's own.
  await page.getByLabel(`Blocked words and phrases for ${TEAM}`).fill(WORD);
  await page.getByRole("button", { name: "Save team policy" }).click();
  await expect(page.getByText(/1 term · last changed/)).toBeVisible();
  await expect(page.getByRole("link", { name: "House style" })).toHaveAttribute("href", /\/admin\/teams\/[\w-]+\/style$/);
  const teamPath = new URL(page.url()).pathname;
  problems.push(...(await shootAndCheck(browser, page, teamPath, "teams-admin-team", consoleErrors)));
  problems.push(...(await shootAndCheck(browser, page, "/admin/teams", "teams-admin-list", consoleErrors)));

  // The owner: Account shows the team, the pool, and the members they may manage.
  const ownerContext = await browser.newContext({ viewport: SIZES.desktop });
  watchConsole(ownerContext, consoleErrors);
  const ownerPage = await ownerContext.newPage();
  await signIn(ownerPage, owner);
  await ownerPage.goto("/account");
  await expect(ownerPage.getByRole("heading", { name: "Your team" })).toBeVisible();
  await expect(ownerPage.getByTestId("my-team-name")).toHaveText(TEAM);
  await expect(ownerPage.getByText("you are an owner")).toBeVisible();
  await ownerPage.getByLabel("Email of the person to add").fill(colleague.email);
  await ownerPage.getByRole("button", { name: "Add member" }).click();
  await expect(ownerPage.getByRole("table", { name: `Members of ${TEAM}` }).getByRole("row", { name: new RegExp(colleague.email) })).toBeVisible();
  // Their own seat is not theirs to change.
  await expect(ownerPage.getByLabel(`Role of ${owner.email}`)).toBeDisabled();

  // A prompt with the team's term is refused, naming the team's policy.
  await ownerPage.goto("/create");
  await ownerPage.getByLabel("Prompt").fill(`a lighthouse made of ${WORD.toUpperCase()} at dusk`);
  await ownerPage.getByLabel("Prompt").press("Enter");
  await expect(ownerPage.getByRole("alert").filter({ hasText: `your team's prompt policy (${TEAM})` })).toBeVisible();
  // A job that is allowed is paid from the team pool, and Account says so.
  await ownerPage.getByLabel("Prompt").fill("a small red circle --draft");
  await ownerPage.getByLabel("Prompt").press("Enter");
  await expect(ownerPage.getByTestId("job-card").first()).toBeVisible();
  await ownerPage.goto("/account");
  await expect(ownerPage.getByRole("table", { name: "Recent jobs" }).getByRole("row").nth(1)).toContainText("Team pool");
  problems.push(...(await shootAndCheck(browser, ownerPage, "/account", "teams-account-owner", consoleErrors)));
  await ownerContext.close();

  // The admin's view counts both members; the audit log has the team's events.
  await page.goto(teamPath);
  await expect(page.getByRole("heading", { name: "Members (2)" })).toBeVisible();
  const audit = await page.request.get(`/api/v1/admin/audit?kind=team.member_added`);
  expect(JSON.stringify(await audit.json())).toContain(colleague.email);
  expect(problems).toEqual([]);
});
