import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page } from "@playwright/test";

export { expect };
export type { Page, Locator } from "@playwright/test";

/**
 * The specs import `test` from here instead of "@playwright/test": every page a
 * test opens is watched, and the test fails if the browser logged a console
 * error or threw an uncaught exception (issue 19: no console errors on any page).
 *
 * Expected noise is allowed explicitly with `test.use({ allowedConsoleErrors: [/…/] })`.
 * By default a 4xx answer from the studio's own API is allowed: the UI shows
 * those refusals itself (wrong password, plan limits), and Chromium logs every
 * non-2xx fetch as "Failed to load resource".
 */
type Fixtures = { allowedConsoleErrors: RegExp[]; consoleErrors: string[] };

function isApiRefusal(message: ConsoleMessage) {
  const text = message.text();
  if (!/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return false;
  try {
    const url = new URL(message.location().url);
    return url.pathname.startsWith("/api/") || url.pathname.startsWith("/v1/");
  } catch {
    return false;
  }
}

/** Collects console errors and uncaught exceptions of every page of `context` into `errors`. */
export function watchConsole(context: BrowserContext, errors: string[], allowed: RegExp[] = []) {
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      if (isApiRefusal(message)) return;
      const text = `${message.text()} (${message.location().url})`;
      if (allowed.some((pattern) => pattern.test(text))) return;
      errors.push(`console: ${text}`);
    });
    page.on("pageerror", (error) => {
      const text = `${error.name}: ${error.message}`;
      if (allowed.some((pattern) => pattern.test(text))) return;
      errors.push(`uncaught: ${text}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
}

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  // Contexts a test opens itself (phone emulation) are watched with `watchConsole(context, consoleErrors)`.
  consoleErrors: [
    async ({ context, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      watchConsole(context, errors, allowedConsoleErrors);
      await use(errors);
      expect(errors, "console errors during the test").toEqual([]);
    },
    { auto: true },
  ],
});
