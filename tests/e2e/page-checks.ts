import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "./fixtures";

/**
 * What the browser specs check on a page, defined once: the two screen sizes
 * every screen is judged at (issue 19), where screenshots go, axe's serious
 * and critical violations, content wider than the device, and signing in
 * with a password.
 */
export const SHOTS = "test-results/e2e/screenshots";
export const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Serious or critical axe violations of the WCAG 2.x A/AA rules, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(" | ")}`);
}

/**
 * What reaches past the device's width. With mobile emulation the layout
 * viewport widens to fit over-wide content, so `innerWidth` grows with the
 * bug: element boxes are compared with the configured width instead, an
 * element held by a scrolling box that fits is fine, and the document's own
 * scroll width catches content that escapes such a box (absolutely placed,
 * its containing block outside) while every box looks clipped.
 */
export async function overflowing(page: Page, width: number): Promise<string[]> {
  return page.evaluate((deviceWidth) => {
    const fits = (rect: DOMRect) => rect.left >= -1 && rect.right <= deviceWidth + 1;
    const clippedByFittingAncestor = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== "visible" && fits(parent.getBoundingClientRect())) return true;
      }
      return false;
    };
    const found: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || fits(rect)) continue;
      if (clippedByFittingAncestor(element)) continue;
      const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${String(element.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")}`;
      found.push(`${name} [${Math.round(rect.left)}…${Math.round(rect.right)}]`);
    }
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > deviceWidth + 1) found.push(`the page itself scrolls sideways (${pageWidth} px)`);
    return found.slice(0, 10);
  }, width);
}

/** Signs in on /sign-in with email and password and waits for Create. */
export async function signIn(page: Page, credentials: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/create$/);
}

/** Creates a fresh account (`<who>-<time>@e2e.test`) on /sign-up and waits for Create. */
export async function signUpNew(page: Page, who: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(`${who}-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/create$/);
}

/**
 * Screenshots `<name>-desktop.png` and `<name>-phone.png` of the page as it
 * is (resizing the window; `section` is scrolled into view, else the whole
 * page is taken), failing if the phone-sized page scrolls sideways. Leaves
 * the window at desktop size.
 */
export async function shootAtBothSizes(page: Page, name: string, section?: Locator) {
  for (const [label, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    if (section) await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${name}-${label}.png`, fullPage: !section });
    if (label === "phone") expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at phone width`).toBeLessThanOrEqual(size.width);
  }
  await page.setViewportSize(SIZES.desktop);
}
