import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { Db } from "@/lib/db/client";
import { getStudioSettings } from "@/lib/server/settings";
import { getDefaultPlanId } from "@/lib/server/plans";
import { profileProblem } from "./profile";
import type { OidcSettings } from "@/lib/config/oidc";
import { applyOidcGroups, isOidcCallback, OIDC_ERROR_ACCOUNT_DISABLED, OIDC_ERROR_SIGNUP_CLOSED, oidcPlugin, PASSWORD_OFF_MESSAGE } from "./oidc";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./limits";

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

export const SIGNUP_CLOSED_MESSAGE = "Sign-up is closed on this studio. Ask an admin for an account.";
export const ACCOUNT_DISABLED_MESSAGE = "This account is disabled. Ask an admin of this studio.";

/**
 * Email + password accounts via better-auth: database sessions (7 days),
 * scrypt password hashes, origin checks on its own endpoints. Sign-in rate
 * limiting lives in the route (lib/auth/sign-in-limiter.ts) because it must
 * key on the email as well as the address.
 */
export const DELETE_NEEDS_PASSWORD_MESSAGE = "Type your password to delete your account.";

/** What deleting an account needs beyond the rows (lib/server/account-deletion.ts): a veto, and removing the files. */
export interface AccountDeletionHooks {
  problem(userId: string): Promise<string | null>;
  /** Runs once deletion is allowed, before the rows go: what must be settled while the user still exists. */
  prepare(userId: string): Promise<void>;
  removeFiles(userId: string): Promise<void>;
}

export function createAuth(options: {
  db: Db;
  baseURL: string;
  secret: string;
  accountDeletion?: AccountDeletionHooks;
  /** Single sign-on (docs/single-sign-on.md); null or absent = none. */
  oidc?: OidcSettings | null;
  /** @defaultValue true */
  passwordSignIn?: boolean;
}) {
  const { db } = options;
  const oidc = options.oidc ?? null;
  const passwordSignIn = options.passwordSignIn ?? true;
  const signupOpen = async () => (await getStudioSettings(db)).signupOpen;
  return betterAuth({
    appName: "Mirage",
    baseURL: options.baseURL,
    secret: options.secret,
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: passwordSignIn,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "user" },
        planId: { type: "string", required: false, input: false },
      },
      // "Delete my account" on the Account page; the password is required (hooks.before below).
      deleteUser: {
        enabled: Boolean(options.accountDeletion),
        beforeDelete: async (user) => {
          const problem = await options.accountDeletion?.problem(user.id);
          if (problem) throw new APIError("BAD_REQUEST", { message: problem });
          await options.accountDeletion?.prepare(user.id);
        },
        afterDelete: async (user) => {
          await options.accountDeletion?.removeFiles(user.id);
        },
      },
    },
    // better-auth would pick Secure from each request's protocol; behind a TLS
    // proxy that does not say so, an https studio would set plain cookies.
    advanced: { useSecureCookies: options.baseURL.startsWith("https://") },
    plugins: [oidcPlugin(oidc)],
    // A failed provider round trip (bad state, refused code, unverifiable token) lands on the
    // sign-in page with better-auth's error code, which the page words (docs/single-sign-on.md §4).
    onAPIError: { errorURL: `${options.baseURL}/sign-in` },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // better-auth refuses these itself when disabled; this says why, in the studio's words.
        if (!passwordSignIn && (ctx.path === "/sign-in/email" || ctx.path === "/sign-up/email")) {
          throw new APIError("FORBIDDEN", { message: PASSWORD_OFF_MESSAGE });
        }
        if (ctx.path === "/sign-up/email") {
          // Before better-auth looks the email up: a closed studio must answer
          // the same whether or not the address has an account.
          if (!(await signupOpen())) throw new APIError("FORBIDDEN", { message: SIGNUP_CLOSED_MESSAGE });
        }
        // better-auth would accept a recent session instead of the password; deleting everything a
        // person made deserves the password every time.
        if (ctx.path === "/delete-user" && !(typeof ctx.body?.password === "string" && ctx.body.password.length > 0)) {
          throw new APIError("BAD_REQUEST", { message: DELETE_NEEDS_PASSWORD_MESSAGE });
        }
        if (ctx.path === "/sign-up/email" || ctx.path === "/update-user") {
          const problem = profileProblem(ctx.body);
          if (problem) throw new APIError("BAD_REQUEST", { message: problem });
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // Checked again here for any other way an account gets created; the CLI writes rows directly.
          before: async (user, ctx) => {
            // A trusted provider decides who may join (docs/single-sign-on.md §3).
            const trustedSso = Boolean(oidc?.trusted) && isOidcCallback(ctx);
            if (!trustedSso && ctx && isOidcCallback(ctx) && !(await signupOpen())) {
              throw ctx.redirect(`${options.baseURL}/sign-in?error=${OIDC_ERROR_SIGNUP_CLOSED}`);
            }
            if (!trustedSso && !(await signupOpen())) throw new APIError("FORBIDDEN", { message: SIGNUP_CLOSED_MESSAGE });
            return { data: { ...user, role: "user", planId: await getDefaultPlanId(db) } };
          },
        },
      },
      session: {
        create: {
          // Runs after the password checked out, so "disabled" is only told to the account's owner.
          before: async (session, ctx) => {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { disabledAt: true } });
            if (user?.disabledAt) {
              // A browser back from the provider gets the sign-in page with the reason, not a JSON 403.
              if (ctx && isOidcCallback(ctx)) throw ctx.redirect(`${options.baseURL}/sign-in?error=${OIDC_ERROR_ACCOUNT_DISABLED}`);
              throw new APIError("FORBIDDEN", { message: ACCOUNT_DISABLED_MESSAGE });
            }
            // Every OIDC sign-in, not only the first, so group changes at the provider reach the studio.
            if (oidc && isOidcCallback(ctx)) await applyOidcGroups(db, oidc, session.userId);
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
