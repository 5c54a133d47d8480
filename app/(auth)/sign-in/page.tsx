import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { getPrincipal } from "@/lib/server/principal";
import { safeReturnPath } from "@/lib/server/session";
import { getSignInOptions, ssoErrorMessage } from "@/lib/server/sign-in-options";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string | string[] }> }) {
  const { next, error } = await searchParams;
  const returnTo = safeReturnPath(typeof next === "string" ? next : null);
  // Someone already signed in has nothing to do here: on to where they were going, or Create.
  const principal = await getPrincipal(await headers()).catch(() => null);
  if (principal) redirect(returnTo ?? "/create");
  return (
    <>
      <h1 className="text-lg text-ink-300">Sign in to your studio</h1>
      <AuthForm
        mode="sign-in"
        returnTo={returnTo ?? undefined}
        {...getSignInOptions()}
        initialError={ssoErrorMessage(typeof error === "string" ? error : null)}
      />
    </>
  );
}
