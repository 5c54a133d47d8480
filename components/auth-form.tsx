"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth/client";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/limits";
import { Button } from "./ui/button";

/** better-auth's id for the studio's OIDC provider (lib/auth/oidc.ts OIDC_PROVIDER_ID; that module is server-side). */
const SSO_PROVIDER_ID = "oidc";

/**
 * Sign-in and sign-up share one form; `mode` picks the call and the wording; `returnTo` (checked by the page) is where to go after.
 * With `ssoName` a "Sign in with …" button goes through the studio's OIDC provider; with `passwordSignIn` false
 * the email form is not shown (better-auth refuses its email endpoints too).
 */
export function AuthForm({
  mode,
  returnTo,
  passwordSignIn = true,
  ssoName = null,
  initialError = null,
}: {
  mode: "sign-in" | "sign-up";
  returnTo?: string;
  /** @defaultValue true */
  passwordSignIn?: boolean;
  /** @defaultValue null (no single sign-on) */
  ssoName?: string | null;
  /** What the page read from `?error=` after a provider round trip. @defaultValue null */
  initialError?: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const isSignUp = mode === "sign-up";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    const result = isSignUp
      ? await authClient.signUp.email({ email, password, name: String(form.get("name") ?? "") || email.split("@")[0] || email })
      : await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) {
      setError(result.error.message ?? (result.error.status === 429 ? "Too many attempts; wait and try again." : "That did not work; check your details."));
      return;
    }
    router.replace(returnTo ?? "/create");
    router.refresh();
  }

  async function onSso() {
    setPending(true);
    setError(null);
    // better-auth answers with the provider's URL and the browser leaves; errors come back as /sign-in?error=….
    const result = await authClient.signIn.social({ provider: SSO_PROVIDER_ID, callbackURL: returnTo ?? "/create", errorCallbackURL: "/sign-in" });
    if (result.error) {
      setPending(false);
      setError(result.error.message ?? "Single sign-on is not available right now; try again.");
    }
  }

  const errorNote = error && (
    <p id="auth-error" role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">
      {error}
    </p>
  );
  const ssoButton = ssoName && !isSignUp && (
    <Button type="button" variant={passwordSignIn ? "secondary" : "primary"} size="lg" disabled={pending} onClick={() => void onSso()}>
      Sign in with {ssoName}
    </Button>
  );

  if (!passwordSignIn) {
    return (
      <div className="flex w-full flex-col gap-4" aria-describedby={error ? "auth-error" : undefined}>
        {errorNote}
        {ssoButton}
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="flex w-full flex-col gap-4" aria-describedby={error ? "auth-error" : undefined}>
      {isSignUp && (
        <label className="flex flex-col gap-1.5 text-sm text-ink-300">
          Name
          <input name="name" autoComplete="name" maxLength={80} className="rounded-lg border border-ink-700 bg-ink-900 px-3 py-2.5 text-ink-100" />
        </label>
      )}
      <label className="flex flex-col gap-1.5 text-sm text-ink-300">
        Email
        <input name="email" type="email" required autoComplete="email" className="rounded-lg border border-ink-700 bg-ink-900 px-3 py-2.5 text-ink-100" />
      </label>
      <label className="flex flex-col gap-1.5 text-sm text-ink-300">
        Password
        <input
          name="password"
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={MAX_PASSWORD_LENGTH}
          autoComplete={isSignUp ? "new-password" : "current-password"}
          className="rounded-lg border border-ink-700 bg-ink-900 px-3 py-2.5 text-ink-100"
        />
        {isSignUp && <span className="text-xs text-ink-300">At least {MIN_PASSWORD_LENGTH} characters; a long passphrase is best.</span>}
      </label>
      {errorNote}
      <Button type="submit" variant="primary" size="lg" disabled={pending}>
        {pending ? "One moment…" : isSignUp ? "Create account" : "Sign in"}
      </Button>
      {ssoButton}
      <p className="text-center text-sm text-ink-300">
        {isSignUp ? (
          <>
            Have an account? <Link href="/sign-in" className="text-ink-100 underline">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/sign-up" className="text-ink-100 underline">Create an account</Link>
          </>
        )}
      </p>
    </form>
  );
}
