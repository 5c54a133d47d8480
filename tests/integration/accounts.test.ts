import { afterAll, describe, expect, it } from "vitest";
import { createAuth } from "@/lib/auth/auth";
import { AppError } from "@/lib/errors";
import { updateStudioSettings } from "@/lib/server/settings";
import { createApiToken, findUserIdByApiToken, listApiTokens, revokeApiToken } from "@/lib/server/tokens";
import { createUserWithPassword, getMe, updateUser } from "@/lib/server/users";
import { seedStudio } from "@/lib/server/seed";
import { seedUser, testDb } from "../support/db";

const db = testDb();
const auth = createAuth({ db, baseURL: "http://localhost:3999", secret: "x".repeat(40) });
afterAll(() => db.$disconnect());

describe("accounts", () => {
  it("creates users whose password better-auth accepts, and rejects a wrong one", async () => {
    const user = await seedUser(db);
    const ok = await auth.api.signInEmail({ body: { email: user.email, password: user.password } });
    expect(ok.user.id).toBe(user.id);
    await expect(auth.api.signInEmail({ body: { email: user.email, password: "wrong-password" } })).rejects.toThrow();
  });

  it("refuses a second account with the same email", async () => {
    const user = await seedUser(db);
    await expect(createUserWithPassword(db, { email: user.email.toUpperCase(), password: "another-password" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("signs up through better-auth with the default plan and the user role", async () => {
    const email = `signup-${Date.now()}@example.test`;
    const result = await auth.api.signUpEmail({ body: { email, password: "a long enough passphrase", name: "Sig" } });
    const me = await getMe(db, result.user.id);
    expect(me).toMatchObject({ email, role: "user", plan: "Standard" });
  });

  it("blocks open sign-up when an admin turns it off", async () => {
    await updateStudioSettings(db, { signupOpen: false });
    try {
      await expect(
        auth.api.signUpEmail({ body: { email: `closed-${Date.now()}@example.test`, password: "a long enough passphrase", name: "x" } }),
      ).rejects.toThrow(/Sign-up is closed/);
    } finally {
      await updateStudioSettings(db, { signupOpen: true });
    }
  });

  it("seeds plans and exactly one admin, idempotently", async () => {
    const first = await seedStudio(db, { email: "root@example.test", password: "root-password-1" });
    const second = await seedStudio(db, { email: "root@example.test", password: "root-password-1" });
    expect(second).toEqual({});
    if (first.createdAdmin) expect(first.createdAdmin).toBe("root@example.test");
    const names = (await db.plan.findMany({ select: { name: true } })).map((plan) => plan.name);
    expect(names).toEqual(expect.arrayContaining(["Basic", "Standard", "Pro", "Mega"]));
    expect(names.filter((name) => ["Basic", "Standard", "Pro", "Mega"].includes(name))).toHaveLength(4);
  });

  it("does not let an admin demote themselves, but lets them change others", async () => {
    const admin = await seedUser(db, { admin: true });
    const user = await seedUser(db);
    await expect(updateUser(db, { actorId: admin.id, userId: admin.id, role: "user" })).rejects.toBeInstanceOf(AppError);
    const updated = await updateUser(db, { actorId: admin.id, userId: user.id, plan: "Pro" });
    expect(updated.plan).toBe("Pro");
    await expect(updateUser(db, { actorId: admin.id, userId: user.id, plan: "Platinum" })).rejects.toThrow(/Unknown plan "Platinum"/);
  });
});

describe("API tokens", () => {
  it("stores only a hash, resolves the owner, and stops working once revoked", async () => {
    const user = await seedUser(db);
    const created = await createApiToken(db, user.id, "script");
    expect(created.token).toMatch(/^mrg_[A-Za-z0-9_-]{43}$/);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token.slice(4));
    expect(await findUserIdByApiToken(db, created.token)).toBe(user.id);
    expect((await listApiTokens(db, user.id)).map((t) => t.id)).toEqual([created.id]);

    await revokeApiToken(db, user.id, created.id);
    expect(await findUserIdByApiToken(db, created.token)).toBeNull();
    expect(await listApiTokens(db, user.id)).toEqual([]);
  });

  it("never lets one user revoke another user's token", async () => {
    const owner = await seedUser(db);
    const other = await seedUser(db);
    const created = await createApiToken(db, owner.id, "mine");
    await expect(revokeApiToken(db, other.id, created.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await findUserIdByApiToken(db, created.token)).toBe(owner.id);
  });

  it("rejects unknown and malformed tokens", async () => {
    expect(await findUserIdByApiToken(db, "mrg_not-a-real-token")).toBeNull();
    expect(await findUserIdByApiToken(db, "Bearer-nonsense")).toBeNull();
  });
});
