import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { seedPlans } from "./plans";
import { createUserWithPassword } from "./users";

export interface SeedResult {
  /** Set only when this run created the admin with a generated password. */
  generatedAdmin?: { email: string; password: string };
  createdAdmin?: string;
}

/**
 * Idempotent seed run by every `npm start`: the built-in plans, and an admin
 * account when the studio has none (from ADMIN_EMAIL/ADMIN_PASSWORD, or
 * generated and printed once).
 */
export async function seedStudio(db: Db, admin: { email?: string; password?: string }): Promise<SeedResult> {
  await seedPlans(db);
  const hasAdmin = (await db.user.count({ where: { role: "admin" } })) > 0;
  if (hasAdmin) return {};
  const email = admin.email ?? "admin@mirage.local";
  if (admin.password) {
    await createUserWithPassword(db, { email, password: admin.password, role: "admin", plan: "Mega" });
    return { createdAdmin: email };
  }
  const password = randomBytes(12).toString("base64url");
  await createUserWithPassword(db, { email, password, role: "admin", plan: "Mega" });
  return { generatedAdmin: { email, password } };
}
