import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a local
 * port, for tests of single sign-on. Its login interaction is answered at once
 * for `nextLogin` (the browser's part of a sign-in, for tests that drive the
 * flow with plain requests), or, with `loginForm`, is a page where a person
 * (a browser test) types the account's email; consent is granted at once.
 * `forgeIdTokens` re-signs the ID tokens its token endpoint hands out with a
 * key it never published — what a token from an impostor looks like.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims per account id (email, name, groups); edit to change what the next sign-in carries. */
  accounts: Map<string, Record<string, unknown>>;
  nextLogin: string;
  forgeIdTokens: boolean;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The one client the test provider knows (the studio under test). */
export const SSO_CLIENT = { id: "mirage-test", secret: "mirage-test-secret-0123456789abcdef" } as const;

/** The login page of `loginForm`: one email field, named so a browser test finds it by its label. */
function loginPage(uid: string, problem: string): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test IdP sign-in</title></head>
<body style="font-family:sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem"><main><h1>Test IdP</h1>
<form method="post" action="/interaction/${escape(uid)}/login"><p><label for="login">Work email</label><br><input id="login" name="login" type="email" autocomplete="username" required style="width:100%;padding:.5rem"></p>
${problem ? `<p role="alert">${escape(problem)}</p>` : ""}<button type="submit" style="padding:.5rem 1rem">Continue</button></form></main></body></html>`;
}

/** The provider's "sign out?" page, plain (its default loads a web font, which an offline browser logs as an error). */
function logoutPage(form: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test IdP sign-out</title></head>
<body style="font-family:sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem"><main><h1>Sign out of Test IdP?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> <button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

export async function startTestOidcProvider(options: { redirectUri: string; postLogoutRedirectUri?: string; port?: number; loginForm?: boolean }): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const { privateKey: impostorKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const state: TestOidcProvider = {
    issuer,
    clientId: SSO_CLIENT.id,
    clientSecret: SSO_CLIENT.secret,
    accounts: new Map(),
    nextLogin: "",
    forgeIdTokens: false,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        redirect_uris: [options.redirectUri],
        ...(options.postLogoutRedirectUri && { post_logout_redirect_uris: [options.postLogoutRedirectUri] }),
        token_endpoint_auth_method: "client_secret_post",
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["oidc-test-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // Put the scope's claims in the ID token itself, as Keycloak or Authentik do with a groups mapper.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(form);
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const claims = state.accounts.get(id);
      return claims ? { accountId: id, claims: () => ({ sub: id, email_verified: true, ...state.accounts.get(id) }) } : undefined;
    },
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      if (!options.loginForm) {
        await provider.interactionFinished(req, res, { login: { accountId: state.nextLogin } }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method !== "POST") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(details.uid, ""));
        return;
      }
      const login = new URLSearchParams((await readBody(req)).toString()).get("login")?.trim().toLowerCase() ?? "";
      if (!state.accounts.has(login)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(details.uid, `No account ${login} at this provider.`));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    const accountId = details.session?.accountId ?? state.nextLogin;
    const grant = new provider.Grant({ accountId, clientId: state.clientId });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  // The provider answers the token request; the test swaps in an ID token signed by another key.
  async function forgedToken(req: IncomingMessage, res: ServerResponse) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "content-length", "connection"].includes(name)) headers.set(name, value);
    }
    headers.set("x-inner", "1");
    const answer = await fetch(`${issuer}/token`, { method: "POST", headers, body: new Uint8Array(await readBody(req)) });
    const body = (await answer.json()) as Record<string, unknown>;
    if (typeof body.id_token === "string") {
      const { kid } = decodeProtectedHeader(body.id_token);
      body.id_token = await new SignJWT(decodeJwt(body.id_token)).setProtectedHeader({ alg: "RS256", kid }).sign(impostorKey);
    }
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const run = req.url?.startsWith("/interaction/")
      ? interaction(req, res)
      : state.forgeIdTokens && req.method === "POST" && req.url === "/token" && !req.headers["x-inner"]
        ? forgedToken(req, res)
        : Promise.resolve(callback(req, res));
    run.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  return state;
}
