import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { OIDC_PROVIDER_ID, PASSWORD_OFF_MESSAGE } from "@/lib/auth/oidc";
import type { OidcSettings } from "@/lib/config/oidc";
import { seedPlans } from "@/lib/server/plans";
import { updateStudioSettings } from "@/lib/server/settings";
import { testDb } from "../support/db";
import { startTestOidcProvider, type TestOidcProvider } from "../support/oidc-provider";

/**
 * Single sign-on against a real OpenID Connect provider (docs/single-sign-on.md):
 * the authorization-code flow is driven with plain requests, the provider's
 * redirects followed by hand and each side's cookies carried, as a browser would.
 */
const BASE = "http://localhost:3999";
const db = testDb();
let idp: TestOidcProvider;
let auth: Auth;
let trustedAuth: Auth;

function settings(overrides: Partial<OidcSettings> = {}): OidcSettings {
  return {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    providerName: "Test IdP",
    groupsClaim: "groups",
    roleMap: [["studio-admins", "admin"]],
    planMap: [["designers", "Pro"], ["everyone", "Basic"]],
    trusted: false,
    ...overrides,
  };
}

function makeAuth(overrides: Partial<OidcSettings> = {}, passwordSignIn = true): Auth {
  return createAuth({ db, baseURL: BASE, secret: "x".repeat(40), oidc: settings(overrides), passwordSignIn });
}

/** name=value pairs from Set-Cookie headers, later ones replacing earlier ones. */
class CookieJar {
  private readonly values = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) this.values.delete(name);
      else this.values.set(name, value);
    }
  }
  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
}

interface Flow {
  studio: CookieJar;
  /** The provider's redirect back to the studio's callback, as the provider sent it. */
  callbackUrl: URL;
}

/** From the studio's sign-in button through the provider's login and consent, up to the redirect back. */
async function toCallback(target: Auth, account: string): Promise<Flow> {
  idp.nextLogin = account;
  const studio = new CookieJar();
  const start = await target.handler(
    new Request(`${BASE}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ provider: OIDC_PROVIDER_ID, callbackURL: "/create", disableRedirect: true }),
    }),
  );
  expect(start.status).toBe(200);
  studio.take(start);
  const { url } = (await start.json()) as { url: string };
  expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");

  const provider = new CookieJar();
  let next = new URL(url);
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, { redirect: "manual", headers: { cookie: provider.header() } });
    provider.take(response);
    const location = response.headers.get("location");
    if (!location) throw new Error(`provider stopped at ${next.pathname} with ${response.status}: ${await response.text()}`);
    next = new URL(location, next);
    if (next.origin === BASE) return { studio, callbackUrl: next };
  }
  throw new Error("the provider never redirected back to the studio");
}

/** The browser's request to the callback; returns better-auth's answer and the studio's cookies after it. */
async function finish(target: Auth, flow: Flow, callbackUrl = flow.callbackUrl) {
  const response = await target.handler(new Request(callbackUrl, { headers: { cookie: flow.studio.header() } }));
  flow.studio.take(response);
  const session = await target.api.getSession({ headers: new Headers({ cookie: flow.studio.header() }) });
  return { response, location: response.headers.get("location") ?? "", session };
}

async function signIn(target: Auth, account: string) {
  return finish(target, await toCallback(target, account));
}

function newAccount(groups: string[]) {
  const id = `acct-${randomBytes(4).toString("hex")}`;
  const email = `${id}@sso.example.test`;
  idp.accounts.set(id, { email, name: `SSO ${id}`, groups });
  return { id, email };
}

async function userRow(email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, role: true, plan: { select: { name: true } } } });
}

beforeAll(async () => {
  await seedPlans(db);
  idp = await startTestOidcProvider({ redirectUri: `${BASE}/api/auth/callback/${OIDC_PROVIDER_ID}` });
  auth = makeAuth();
  trustedAuth = makeAuth({ trusted: true });
});

afterAll(async () => {
  await idp?.stop();
  await db.$disconnect();
});

describe("single sign-on", () => {
  it("creates the account at the first sign-in with the role and plan its groups map to, and updates them at the next", async () => {
    const { id, email } = newAccount(["studio-admins", "designers"]);
    const first = await signIn(auth, id);
    expect(first.location).toBe("/create");
    expect(first.session?.user.email).toBe(email);
    expect(await userRow(email)).toMatchObject({ role: "admin", plan: { name: "Pro" } });

    idp.accounts.set(id, { email, name: "Renamed", groups: ["everyone"] });
    const second = await signIn(auth, id);
    expect(second.session?.user.id).toBe(first.session?.user.id);
    expect(await userRow(email)).toMatchObject({ role: "user", plan: { name: "Basic" } });
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("refuses a disabled user: no session", async () => {
    const { id, email } = newAccount(["everyone"]);
    const first = await signIn(auth, id);
    expect(first.session).not.toBeNull();
    const user = await db.user.update({ where: { email }, data: { disabledAt: new Date() }, select: { id: true } });
    const sessionsBefore = await db.session.count({ where: { userId: user.id } });

    const again = await signIn(auth, id);
    expect(again.session).toBeNull();
    expect(again.location).toBe(`${BASE}/sign-in?error=account_disabled`);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(sessionsBefore);
  });

  it("refuses a callback whose state or code was tampered with", async () => {
    const { id, email } = newAccount(["everyone"]);
    const flow = await toCallback(auth, id);
    const badState = new URL(flow.callbackUrl);
    badState.searchParams.set("state", `${badState.searchParams.get("state")}x`);
    const stateResult = await finish(auth, flow, badState);
    expect(stateResult.session).toBeNull();
    expect(stateResult.location).toBe(`${BASE}/sign-in?error=state_mismatch`);

    const flow2 = await toCallback(auth, id);
    const badCode = new URL(flow2.callbackUrl);
    badCode.searchParams.set("code", `${badCode.searchParams.get("code")}x`);
    const codeResult = await finish(auth, flow2, badCode);
    expect(codeResult.session).toBeNull();
    expect(codeResult.location).toBe(`${BASE}/sign-in?error=invalid_code`);
    expect(await userRow(email)).toBeNull();
  });

  it("refuses an ID token signed by a key the provider never published", async () => {
    const { id, email } = newAccount(["studio-admins"]);
    idp.forgeIdTokens = true;
    try {
      const result = await signIn(auth, id);
      expect(result.session).toBeNull();
      // better-auth's verification against the provider's published keys fails, so no profile is read.
      expect(result.location).toBe(`${BASE}/sign-in?error=unable_to_get_user_info`);
    } finally {
      idp.forgeIdTokens = false;
    }
    expect(await userRow(email)).toBeNull();
  });

  it("respects closed sign-up unless the provider is trusted", async () => {
    await updateStudioSettings(db, { signupOpen: false });
    try {
      const refused = newAccount(["everyone"]);
      const result = await signIn(auth, refused.id);
      expect(result.session).toBeNull();
      expect(result.location).toBe(`${BASE}/sign-in?error=signup_closed`);
      expect(await userRow(refused.email)).toBeNull();

      const trusted = newAccount(["designers"]);
      const ok = await signIn(trustedAuth, trusted.id);
      expect(ok.session?.user.email).toBe(trusted.email);
      expect(await userRow(trusted.email)).toMatchObject({ role: "user", plan: { name: "Pro" } });
    } finally {
      await updateStudioSettings(db, { signupOpen: true });
    }
  });

  it("refuses email and password when password sign-in is turned off", async () => {
    const noPasswords = makeAuth({}, false);
    for (const path of ["sign-in/email", "sign-up/email"]) {
      const response = await noPasswords.handler(
        new Request(`${BASE}/api/auth/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: BASE },
          body: JSON.stringify({ email: "someone@example.test", password: "a long enough passphrase", name: "x" }),
        }),
      );
      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toBe(PASSWORD_OFF_MESSAGE);
    }
    // SSO still works on that studio.
    const { id } = newAccount(["everyone"]);
    expect((await signIn(noPasswords, id)).session).not.toBeNull();
  });
});
