import { defineConfig } from "@playwright/test";
import base from "./playwright.config";
import { SSO_CLIENT } from "./tests/support/oidc-provider";

/**
 * Single sign-on in a real browser (docs/single-sign-on.md): a studio
 * configured for OpenID Connect with password sign-in turned off, next to a
 * real OpenID provider (tests/support/oidc-provider-main.ts) with a login
 * page. A configuration of its own because the provider settings are the
 * studio's start-up environment; `npm run test:e2e` runs it after the main
 * suite, on its own ports, data and build folders.
 */
const PORT = Number(process.env.E2E_SSO_PORT ?? 3150);
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3198);
const STUDIO = `http://localhost:${PORT}`;
const HOME = `.data/e2e-sso-${PORT}`;
const studio = Array.isArray(base.webServer) ? base.webServer[0]! : base.webServer!;

export default defineConfig({
  ...base,
  testDir: "tests/e2e-sso",
  outputDir: "test-results/e2e-sso",
  use: { ...base.use, baseURL: STUDIO },
  webServer: [
    {
      command: "node --import tsx tests/support/oidc-provider-main.ts",
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { OIDC_PORT: String(OIDC_PORT), STUDIO_URL: STUDIO },
    },
    {
      ...studio,
      command: `rm -rf ${HOME} && node --experimental-wasm-modules --disable-warning=ExperimentalWarning --import tsx lib/launcher/main.ts`,
      url: `${STUDIO}/sign-in`,
      env: {
        ...studio.env,
        PORT: String(PORT),
        PUBLIC_URL: STUDIO,
        MIRAGE_HOME: HOME,
        EMBEDDED_POSTGRES_PORT: process.env.E2E_SSO_PG_PORT ?? "54349",
        EMBEDDED_REDIS_PORT: process.env.E2E_SSO_REDIS_PORT ?? "63819",
        OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
        OIDC_CLIENT_ID: SSO_CLIENT.id,
        OIDC_CLIENT_SECRET: SSO_CLIENT.secret,
        OIDC_PROVIDER_NAME: "Test IdP",
        OIDC_ROLE_MAP: "studio-admins=admin",
        OIDC_PLAN_MAP: "designers=Pro",
        PASSWORD_SIGNIN: "off",
      },
    },
  ],
});
