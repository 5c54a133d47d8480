import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { Db } from "@/lib/db/client";
import { getStudioSettings } from "@/lib/server/settings";
import { getDefaultPlanId } from "@/lib/server/plans";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Email + password accounts via better-auth: database sessions (7 days),
 * scrypt password hashes, origin checks on its own endpoints. Sign-in rate
 * limiting lives in the route (lib/auth/sign-in-limiter.ts) because it must
 * key on the email as well as the address.
 */
export function createAuth(options: { db: Db; baseURL: string; secret: string }) {
  const { db } = options;
  return betterAuth({
    appName: "Mirage",
    baseURL: options.baseURL,
    secret: options.secret,
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
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
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          // Open sign-up can be switched off by an admin; the CLI still creates accounts.
          before: async (user) => {
            const settings = await getStudioSettings(db);
            if (!settings.signupOpen) {
              throw new APIError("FORBIDDEN", { message: "Sign-up is closed on this studio. Ask an admin for an account." });
            }
            return { data: { ...user, role: "user", planId: await getDefaultPlanId(db) } };
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
