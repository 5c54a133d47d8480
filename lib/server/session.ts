import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getWebContext } from "./context";
import { getPrincipal, type Principal } from "./principal";
import { getStudioSettings } from "./settings";

/**
 * A path of this studio to return to after signing in, or null: one leading
 * slash (never `//host`), no backslash, not an API or sign-in page.
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || value.length > 2000 || !/^\/(?![/\\])/.test(value) || value.includes("\\")) return null;
  if (/^\/(api|v1|sdapi|mcp|sign-in|sign-up)(\/|\?|$)/.test(value)) return null;
  return value;
}

/** For server components: the signed-in user, or a redirect to sign-in that remembers where the visitor was going. */
export async function requirePageUser(): Promise<Principal> {
  const requestHeaders = await headers();
  const principal = await getPrincipal(requestHeaders).catch(() => null);
  if (!principal) {
    const next = safeReturnPath(requestHeaders.get("x-mirage-path"));
    redirect(next && next !== "/create" ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  }
  return principal;
}

/** For admin pages: non-admins get a 404-like redirect home, never the page. */
export async function requirePageAdmin(): Promise<Principal> {
  const principal = await requirePageUser();
  if (principal.role !== "admin") redirect("/create");
  return principal;
}

export async function isSignupOpen(): Promise<boolean> {
  return (await getStudioSettings(getWebContext().db)).signupOpen;
}
