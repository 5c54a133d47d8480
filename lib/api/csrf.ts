import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";

/**
 * Route handlers get no CSRF protection from Next.js, and a cross-site form
 * can POST `text/plain` that still reaches `request.json()`. For requests that
 * ride on the session cookie we therefore require the browser to say the
 * request is same-origin (Sec-Fetch-Site, or else a matching Origin).
 * Token-authenticated requests carry no ambient credentials and skip this.
 */
export function assertSameOrigin(req: Request): void {
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin") return;
  const origin = req.headers.get("origin");
  if (origin) {
    const allowed = new Set([new URL(getWebContext().config.PUBLIC_URL).origin, new URL(req.url).origin]);
    const host = req.headers.get("host");
    if (host) allowed.add(`${new URL(req.url).protocol}//${host}`);
    if (allowed.has(origin)) return;
  }
  throw new AppError("FORBIDDEN", "Cross-site request refused. Call the API from the studio itself, or use an API token.");
}
