import { z } from "zod";
import { ZBooleanFlag } from "./parse-env";

/**
 * Single sign-on variables (docs/single-sign-on.md). Either none of
 * OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET is set (no SSO) or all
 * three are; a partial set is a start-up error naming what is missing.
 */

const ZGroupMap = z
  .string()
  .transform((text, ctx) => {
    const entries: Array<[string, string]> = [];
    for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
      const at = part.lastIndexOf("=");
      const group = part.slice(0, at).trim();
      const value = part.slice(at + 1).trim();
      if (at <= 0 || !group || !value) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not group=value (write e.g. "studio-admins=admin,designers=Pro")` });
        return z.NEVER;
      }
      entries.push([group, value]);
    }
    return entries;
  });

export const ZOidcFields = {
  OIDC_ISSUER: z.url({ error: "must be the provider's issuer URL, e.g. https://sso.example.com/realms/main" }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The button reads "Sign in with <name>". @defaultValue "SSO" */
  OIDC_PROVIDER_NAME: z.string().min(1).max(40).default("SSO"),
  /** The ID-token claim that lists the user's groups. @defaultValue "groups" */
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  /** "group=admin,group=user": which groups make an admin. */
  OIDC_ROLE_MAP: ZGroupMap.pipe(
    z.array(z.tuple([z.string(), z.enum(["admin", "user"], { error: "a role must be admin or user" })])),
  ).optional(),
  /** "group=PlanName,…": first listed group the user is in picks the plan. */
  OIDC_PLAN_MAP: ZGroupMap.optional(),
  /** A trusted provider creates accounts even while the studio's sign-up is closed. @defaultValue false */
  OIDC_TRUSTED: ZBooleanFlag.default(false),
  /** "off" hides the email form and makes better-auth's email endpoints refuse. @defaultValue "on" */
  PASSWORD_SIGNIN: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
};

const REQUIRED = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

type OidcFieldValues = z.output<z.ZodObject<typeof ZOidcFields>>;

export function refineOidc(config: OidcFieldValues, ctx: z.RefinementCtx): void {
  const present = REQUIRED.filter((name) => config[name] !== undefined);
  if (present.length > 0 && present.length < REQUIRED.length) {
    for (const name of REQUIRED.filter((n) => config[n] === undefined)) {
      ctx.addIssue({ code: "custom", path: [name], message: `is required because ${present.join(" and ")} ${present.length > 1 ? "are" : "is"} set (single sign-on needs all three)` });
    }
  }
  if (config.PASSWORD_SIGNIN === "off" && present.length === 0) {
    ctx.addIssue({ code: "custom", path: ["PASSWORD_SIGNIN"], message: "cannot be off without single sign-on (set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET), or nobody could sign in" });
  }
}

/** What createAuth needs to offer single sign-on. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  providerName: string;
  groupsClaim: string;
  roleMap: Array<[string, "admin" | "user"]> | null;
  planMap: Array<[string, string]> | null;
  trusted: boolean;
}

/** The parsed variables as createAuth's options; null when SSO is not configured. */
export function oidcSettings(config: OidcFieldValues): OidcSettings | null {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: config.OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    providerName: config.OIDC_PROVIDER_NAME,
    groupsClaim: config.OIDC_GROUPS_CLAIM,
    roleMap: config.OIDC_ROLE_MAP ?? null,
    planMap: config.OIDC_PLAN_MAP ?? null,
    trusted: config.OIDC_TRUSTED,
  };
}
