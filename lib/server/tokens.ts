import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TApiToken } from "@/lib/schemas/account";
import type { Principal } from "./principal";

/** Tokens look like `mrg_<43 url-safe chars>`; the prefix makes leaked ones easy to grep for. */
const TOKEN_PREFIX = "mrg_";
/** Enough for a script per machine; more is a leak waiting to happen. */
export const MAX_TOKENS_PER_USER = 20;

/**
 * Tokens are managed from a signed-in browser session only: a leaked token
 * must not be able to mint fresh tokens that outlive its revocation, or
 * revoke the owner's other tokens.
 */
export function assertCanManageTokens(principal: Pick<Principal, "via">): void {
  if (principal.via !== "session") {
    throw new AppError("FORBIDDEN", "API tokens cannot create or revoke tokens. Manage tokens from Settings → API tokens while signed in.");
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function toApiToken(row: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null }): TApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

const TOKEN_SELECT = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true } as const;

/** Creates a token; the secret is returned here once and only its hash is stored. */
export async function createApiToken(db: Db, userId: string, name: string): Promise<TApiToken & { token: string }> {
  const active = await db.apiToken.count({ where: { userId, revokedAt: null } });
  if (active >= MAX_TOKENS_PER_USER) {
    throw new AppError("CONFLICT", `You already have ${MAX_TOKENS_PER_USER} API tokens, the most allowed; revoke one before creating another.`);
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: { userId, name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(token) },
    select: TOKEN_SELECT,
  });
  return { ...toApiToken(row), token };
}

export async function listApiTokens(db: Db, userId: string): Promise<TApiToken[]> {
  const rows = await db.apiToken.findMany({
    where: { userId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: TOKEN_SELECT,
  });
  return rows.map(toApiToken);
}

/** Revokes one of the user's own tokens; someone else's token reads as not found. */
export async function revokeApiToken(db: Db, userId: string, tokenId: string): Promise<void> {
  const { count } = await db.apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "No such token (it may already be revoked).");
}

/** Resolves a presented token to its user id, or null when unknown or revoked. */
export async function findUserIdByApiToken(db: Db, token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // Refresh last-used at most once a minute to keep token auth read-mostly.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row.userId;
}
