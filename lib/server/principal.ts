import { AppError } from "@/lib/errors";
import type { TRole } from "@/lib/schemas/common";
import { getWebContext } from "./context";
import { findUserIdByApiToken } from "./tokens";

/** Who is asking, and how they proved it. */
export interface Principal {
  userId: string;
  email: string;
  role: TRole;
  via: "session" | "token";
}

async function loadPrincipal(userId: string, via: Principal["via"]): Promise<Principal | null> {
  const { db } = getWebContext();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (user?.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled. Ask an admin of this studio.");
  return user ? { userId: user.id, email: user.email, role: user.role, via } : null;
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the session
 * cookie. A bearer header that does not check out is an error even when a
 * cookie is present, so a script never silently acts as the browser's user.
 */
export async function getPrincipal(headers: Headers): Promise<Principal | null> {
  const { db, auth } = getWebContext();
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const userId = match?.[1] ? await findUserIdByApiToken(db, match[1]) : null;
    if (!userId) throw new AppError("UNAUTHORIZED", "The API token is invalid or revoked. Create a new one under Settings → API tokens.");
    return loadPrincipal(userId, "token");
  }
  const session = await auth.api.getSession({ headers });
  return session ? loadPrincipal(session.user.id, "session") : null;
}

export async function requirePrincipal(headers: Headers): Promise<Principal> {
  const principal = await getPrincipal(headers);
  if (!principal) throw new AppError("UNAUTHORIZED", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
  return principal;
}

export function requireAdmin(principal: Principal): void {
  if (principal.role !== "admin") throw new AppError("FORBIDDEN", "This needs an admin account.");
}
