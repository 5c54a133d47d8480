/**
 * The OpenID Connect provider of the single sign-on browser tests
 * (playwright.sso.config.ts starts it before the studio): a real
 * `oidc-provider` on a fixed port with a login page and the accounts of tests/support/sso-accounts.ts.
 *
 *   node --import tsx tests/support/oidc-provider-main.ts   (OIDC_PORT, STUDIO_URL)
 */
import { startTestOidcProvider } from "./oidc-provider";
import { SSO_ACCOUNTS } from "./sso-accounts";

const port = Number(process.env.OIDC_PORT ?? 3198);
const studio = process.env.STUDIO_URL ?? "http://localhost:3150";
const idp = await startTestOidcProvider({ redirectUri: `${studio}/api/auth/callback/oidc`, postLogoutRedirectUri: `${studio}/sign-in`, port, loginForm: true });
for (const account of Object.values(SSO_ACCOUNTS)) idp.accounts.set(account.email, { email: account.email, name: account.name, groups: [...account.groups] });
console.log(`test OpenID provider at ${idp.issuer} (client ${idp.clientId})`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void idp.stop().then(() => process.exit(0)));
