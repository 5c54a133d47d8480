import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a random
 * local port, for tests of single sign-on. Its login and consent interactions
 * are answered at once for `nextLogin` (the browser's part of a sign-in), and
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

export async function startTestOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const { privateKey: impostorKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const state: TestOidcProvider = {
    issuer,
    clientId: "mirage-test",
    clientSecret: "mirage-test-secret-0123456789abcdef",
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
    features: { devInteractions: { enabled: false } },
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
      await provider.interactionFinished(req, res, { login: { accountId: state.nextLogin } }, { mergeWithLastSubmission: false });
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
