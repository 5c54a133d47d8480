import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TAdminUser } from "@/lib/schemas/admin";
import type { TRole } from "@/lib/schemas/common";
import type { TMe } from "@/lib/schemas/account";
import { auditUserUpdate } from "./audit/user-changes";
import { getDefaultPlanId, getPlanIdByName } from "./plans";

/**
 * Creates an email + password account directly, the way better-auth stores
 * one (a `credential` account row holding the password hash). Used by the
 * operator CLI and the seed, which must work even when open sign-up is off.
 */
export async function createUserWithPassword(
  db: Db,
  input: { email: string; password: string; role?: TRole; plan?: string; name?: string },
): Promise<{ id: string; email: string }> {
  const email = input.email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with email ${email} already exists.`);
  const planId = input.plan ? await getPlanIdByName(db, input.plan) : await getDefaultPlanId(db);
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  await db.user.create({
    data: {
      id,
      email,
      name: input.name ?? email.split("@")[0] ?? email,
      role: input.role ?? "user",
      planId,
      accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password: passwordHash } },
    },
  });
  return { id, email };
}

export async function getMe(db: Db, userId: string): Promise<TMe> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, role: true, plan: { select: { name: true } } },
  });
  if (!user) throw new AppError("UNAUTHORIZED", "Your account no longer exists. Sign in again.");
  return { id: user.id, email: user.email, role: user.role, plan: user.plan?.name ?? null };
}

export async function listUsers(db: Db): Promise<TAdminUser[]> {
  const users = await db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true, plan: { select: { name: true } } },
  });
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    plan: user.plan?.name ?? null,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  }));
}

export async function updateUser(
  db: Db,
  input: { actorId: string; userId: string; role?: TRole; plan?: string; disabled?: boolean },
): Promise<TAdminUser> {
  if (input.userId === input.actorId && (input.role === "user" || input.disabled)) {
    throw new AppError("BAD_REQUEST", "You cannot remove your own admin role or disable yourself; ask another admin.");
  }
  const planId = input.plan ? await getPlanIdByName(db, input.plan) : undefined;
  const found = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, role: true, disabledAt: true, plan: { select: { name: true } } } });
  if (!found) throw new AppError("NOT_FOUND", "No such user.");
  const disabledAt = input.disabled === undefined ? undefined : input.disabled ? new Date() : null;
  await db.user.update({ where: { id: input.userId }, data: { role: input.role, planId, disabledAt } });
  // A disabled user's sessions end at once; tokens are refused while disabled.
  if (input.disabled) await db.session.deleteMany({ where: { userId: input.userId } });
  const user = (await listUsers(db)).find((u) => u.id === input.userId);
  if (!user) throw new AppError("NOT_FOUND", "No such user.");
  await auditUserUpdate(db, { userId: input.actorId }, { ...found, plan: found.plan?.name ?? null, disabled: found.disabledAt !== null }, user);
  return user;
}
