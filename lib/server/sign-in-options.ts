import "server-only";
import { ACCOUNT_DISABLED_MESSAGE } from "@/lib/auth/auth";
import { OIDC_ERROR_ACCOUNT_DISABLED, OIDC_ERROR_SIGNUP_CLOSED } from "@/lib/auth/oidc";
import { getWebContext } from "./context";

/** What the sign-in page offers: the email form, a single sign-on button, or both (docs/single-sign-on.md §5). */
export interface SignInOptions {
  passwordSignIn: boolean;
  /** The button's provider name; null when single sign-on is not configured. */
  ssoName: string | null;
}

export function getSignInOptions(): SignInOptions {
  const { config } = getWebContext();
  const ssoConfigured = Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);
  return { passwordSignIn: config.PASSWORD_SIGNIN === "on", ssoName: ssoConfigured ? config.OIDC_PROVIDER_NAME : null };
}

/**
 * Words for the `error` better-auth (or the disabled-account check) puts on
 * /sign-in after a provider round trip. Unknown codes get a generic sentence
 * with the code, so nothing from the query string is shown except a short token.
 */
export function ssoErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case OIDC_ERROR_ACCOUNT_DISABLED:
      return ACCOUNT_DISABLED_MESSAGE;
    case OIDC_ERROR_SIGNUP_CLOSED:
      return "No account could be created for you: sign-up is closed on this studio. Ask an admin for an account.";
    default: {
      const token = /^[a-z_]{1,40}$/.test(code) ? ` (${code})` : "";
      return `Single sign-on did not complete${token}. Try again; if it keeps failing, ask an admin of this studio.`;
    }
  }
}
