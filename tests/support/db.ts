import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDb } from "@/lib/db/client";
import { seedPlans } from "@/lib/server/plans";
import { createUserWithPassword } from "@/lib/server/users";

export function testDb() {
  return createDb(inject("databaseUrl"), { max: 4 });
}

/** A fresh user with a unique email, for tests that must not see each other's rows. */
export async function seedUser(db: ReturnType<typeof testDb>, options: { admin?: boolean } = {}) {
  await seedPlans(db);
  const email = `user-${randomBytes(4).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const user = await createUserWithPassword(db, { email, password, role: options.admin ? "admin" : "user" });
  return { ...user, password };
}
