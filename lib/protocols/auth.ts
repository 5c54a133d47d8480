import { AppError } from "@/lib/errors";
import { getPrincipal, type Principal } from "@/lib/server/principal";

/**
 * The caller of a protocol route (OpenAI, AUTOMATIC1111, MCP): always an API
 * token, never the browser's session cookie. These routes are meant for
 * programs, and accepting a cookie would make every one of them a cross-site
 * write target. `Authorization: Bearer <token>` everywhere; with `basic`,
 * also HTTP Basic whose password is the token (what A1111 clients configured
 * with `--api-auth user:password` send). The token is then resolved by the
 * same code as /api/v1 (lib/server/principal.ts).
 */
export async function requireTokenPrincipal(headers: Headers, options: { basic?: boolean } = {}): Promise<Principal> {
  const authorization = headers.get("authorization")?.trim() ?? "";
  const token = bearerToken(authorization) ?? (options.basic ? basicPassword(authorization) : null);
  if (!token) {
    const how = options.basic ? "`Authorization: Bearer <token>` or HTTP Basic with the token as the password" : "`Authorization: Bearer <token>`";
    throw new AppError("UNAUTHORIZED", `Send a Mirage API token as ${how}. Create one under Settings → API tokens, or with \`npm run mirage -- token:create\`.`);
  }
  const principal = await getPrincipal(new Headers({ authorization: `Bearer ${token}` }));
  if (!principal) throw new AppError("UNAUTHORIZED", "The API token is invalid or revoked.");
  return principal;
}

function bearerToken(authorization: string): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
}

function basicPassword(authorization: string): string | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const password = colon >= 0 ? decoded.slice(colon + 1) : "";
  return /^\S+$/.test(password) ? password : null;
}
