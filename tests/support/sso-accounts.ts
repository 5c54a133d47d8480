/**
 * The accounts of the single sign-on browser tests' provider
 * (tests/support/oidc-provider-main.ts) and their groups, which
 * playwright.sso.config.ts maps to a plan (designers → Pro) and a role
 * (studio-admins → admin).
 */
export const SSO_ACCOUNTS = {
  designer: { email: "dana@idp.test", name: "Dana Designer", groups: ["designers"] },
  admin: { email: "ari@idp.test", name: "Ari Admin", groups: ["studio-admins", "designers"] },
} as const;
