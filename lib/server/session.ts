import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getWebContext } from "./context";
import { getPrincipal, type Principal } from "./principal";
import { getStudioSettings } from "./settings";

/** For server components: the signed-in user, or a redirect to sign-in. */
export async function requirePageUser(): Promise<Principal> {
  const principal = await getPrincipal(await headers()).catch(() => null);
  if (!principal) redirect("/sign-in");
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
