import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { decodeJwt } from "jose";
import type { Db } from "@/lib/db/client";
import type { OidcSettings } from "@/lib/config/oidc";

/** better-auth's id for the one OIDC provider; its callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

/** The `error` a disabled account's SSO sign-in brings back to /sign-in. */
export const OIDC_ERROR_ACCOUNT_DISABLED = "account_disabled";

/** The `error` an SSO sign-in that would create an account on a closed studio brings back to /sign-in. */
export const OIDC_ERROR_SIGNUP_CLOSED = "signup_closed";

export const PASSWORD_OFF_MESSAGE = "Password sign-in is turned off on this studio. Use the single sign-on button.";

/**
 * better-auth's generic OAuth plugin in OIDC mode (docs/single-sign-on.md §1):
 * endpoints from discovery, PKCE, a nonce, and ID tokens verified against the
 * provider's published keys. `requireIdTokenVerification` keeps a discovery
 * document without keys from silently downgrading to unverified tokens.
 * With no settings the plugin carries no provider, so the Auth type is the same
 * either way.
 */
export function oidcPlugin(settings: OidcSettings | null) {
  return genericOAuth({
    config: settings
      ? [
          {
            providerId: OIDC_PROVIDER_ID,
            name: settings.providerName,
            discoveryUrl: `${settings.issuer}/.well-known/openid-configuration`,
            clientId: settings.clientId,
            clientSecret: settings.clientSecret,
            scopes: ["openid", "email", "profile"],
            pkce: true,
            requireIdTokenVerification: true,
            // Signing out of the studio also ends the provider's session (better-auth sends the
            // browser to its end_session endpoint); the provider then sends it back to our sign-in
            // page, which must be registered with it as a post-logout redirect URI.
            postLogoutRedirectURI: "/sign-in",
          },
        ]
      : [],
  });
}

/** True while better-auth is finishing a sign-in that came back from the OIDC provider. */
export function isOidcCallback(ctx: { path?: string; params?: unknown } | null | undefined): boolean {
  // better-auth runs generic providers through its social callback route, "/callback/:id".
  const params = ctx?.params as { id?: unknown } | undefined;
  return ctx?.path === "/callback/:id" && params?.id === OIDC_PROVIDER_ID;
}

function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
}

/** The role and plan name the groups map to; undefined where that map is not configured or nothing matched. */
export function mapGroups(settings: Pick<OidcSettings, "roleMap" | "planMap">, groups: readonly string[]) {
  const has = new Set(groups);
  // With a role map the provider is the source of truth: leaving the admin group takes admin away.
  const role = settings.roleMap ? (settings.roleMap.some(([group, r]) => r === "admin" && has.has(group)) ? "admin" : "user") : undefined;
  // The map's order is its priority: the first listed group the user is in picks the plan.
  const plan = settings.planMap?.find(([group]) => has.has(group))?.[1];
  return { role, plan } as const;
}

/**
 * Applies the group → role and plan maps at every OIDC sign-in. Reads the ID
 * token better-auth has just verified and stored on the account row (it is
 * refreshed at each sign-in), so the claims are the provider's, not the browser's.
 */
export async function applyOidcGroups(db: Db, settings: OidcSettings, userId: string): Promise<void> {
  const account = await db.account.findFirst({
    where: { userId, providerId: OIDC_PROVIDER_ID },
    orderBy: { updatedAt: "desc" },
    select: { idToken: true },
  });
  if (!account?.idToken) return;
  const { role, plan } = mapGroups(settings, groupsOf(decodeJwt(account.idToken), settings.groupsClaim));
  // A plan name the studio does not have (renamed, deleted) leaves the plan as it was.
  const planId = plan ? (await db.plan.findFirst({ where: { name: { equals: plan, mode: "insensitive" } }, select: { id: true } }))?.id : undefined;
  if (role === undefined && planId === undefined) return;
  await db.user.update({ where: { id: userId }, data: { ...(role ? { role } : {}), ...(planId ? { planId } : {}) }, select: { id: true } });
}
