import { afterAll, describe, expect, it } from "vitest";
import { ACCOUNT_DISABLED_MESSAGE, createAuth, SIGNUP_CLOSED_MESSAGE } from "@/lib/auth/auth";
import { updateStudioSettings } from "@/lib/server/settings";
import { updateUser } from "@/lib/server/users";
import { seedUser, testDb } from "../support/db";

/**
 * Issue 18, findings 2, 3 and 7 (cookies, closed sign-up), through
 * better-auth's real HTTP handler as the browser reaches it.
 */
const db = testDb();
const BASE = "http://localhost:3999";
const auth = createAuth({ db, baseURL: BASE, secret: "x".repeat(40) });
afterAll(() => db.$disconnect());

function post(path: string, body: unknown, headers: Record<string, string> = {}, base = BASE, handler = auth.handler) {
  return handler(
    new Request(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

function cookieOf(response: Response): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

async function signIn(email: string, password: string) {
  const response = await post("/sign-in/email", { email, password });
  return { response, cookie: cookieOf(response) };
}

describe("disabled accounts (finding 3)", () => {
  it("cannot sign in, with a message saying so, and lose their sessions when disabled", async () => {
    const admin = await seedUser(db, { admin: true });
    const user = await seedUser(db);
    const before = await signIn(user.email, user.password);
    expect(before.response.status).toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);

    await updateUser(db, { actorId: admin.id, userId: user.id, disabled: true });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const session = await auth.handler(new Request(`${BASE}/api/auth/get-session`, { headers: { cookie: before.cookie } }));
    expect(await session.json()).toBeNull();

    const after = await signIn(user.email, user.password);
    expect(after.response.status).toBe(403);
    expect((await after.response.json()).message).toBe(ACCOUNT_DISABLED_MESSAGE);
    expect(after.response.headers.getSetCookie().some((cookie) => cookie.includes("session_token=") && !cookie.includes("Max-Age=0"))).toBe(false);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

    // A wrong password still reads as a wrong password: "disabled" is only told to the owner.
    expect((await signIn(user.email, "not-the-password")).response.status).toBe(401);

    await updateUser(db, { actorId: admin.id, userId: user.id, disabled: false });
    expect((await signIn(user.email, user.password)).response.status).toBe(200);
  });
});

describe("profile fields (finding 2)", () => {
  it("bounds the name at sign-up", async () => {
    const email = `long-name-${Date.now()}@example.test`;
    const response = await post("/sign-up/email", { email, password: "a long enough passphrase", name: "n".repeat(81) });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/name must be at most 80 characters/);
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect((await post("/sign-up/email", { email, password: "a long enough passphrase", name: "n".repeat(80) })).status).toBe(200);
  });

  it("bounds the name and refuses non-http(s) images on update-user", async () => {
    const user = await seedUser(db);
    const { cookie } = await signIn(user.email, user.password);
    const update = (body: unknown) => post("/update-user", body, { cookie });

    const huge = await update({ name: "x".repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(400);
    expect((await update({ name: "a\u0000b" })).status).toBe(400);
    for (const image of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "not a url"]) {
      const response = await update({ image });
      expect(response.status, image).toBe(400);
      expect((await response.json()).message).toMatch(/image must be an http\(s\) URL/);
    }
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true, image: true } });
    expect(stored.name.length).toBeLessThanOrEqual(80);
    expect(stored.image).toBeNull();

    expect((await update({ name: "Ada", image: "https://example.test/ada.png" })).status).toBe(200);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true, image: true } })).toEqual({ name: "Ada", image: "https://example.test/ada.png" });
  });
});

describe("closed sign-up (finding 7)", () => {
  it("answers the same for a registered and an unknown email", async () => {
    const existing = await seedUser(db);
    await updateStudioSettings(db, { signupOpen: false });
    try {
      const registered = await post("/sign-up/email", { email: existing.email, password: "a long enough passphrase", name: "x" });
      const unknown = await post("/sign-up/email", { email: `nobody-${Date.now()}@example.test`, password: "a long enough passphrase", name: "x" });
      expect(registered.status).toBe(403);
      expect(unknown.status).toBe(403);
      expect(await registered.json()).toEqual(await unknown.json());
      expect((await post("/sign-up/email", { email: existing.email, password: "x", name: "x" })).status).toBe(403);
    } finally {
      await updateStudioSettings(db, { signupOpen: true });
    }
    expect((await unknownMessage()).message).toBe(SIGNUP_CLOSED_MESSAGE);
    async function unknownMessage() {
      await updateStudioSettings(db, { signupOpen: false });
      try {
        return await (await post("/sign-up/email", { email: `again-${Date.now()}@example.test`, password: "a long enough passphrase", name: "x" })).json();
      } finally {
        await updateStudioSettings(db, { signupOpen: true });
      }
    }
  });
});

describe("secure cookies (finding 7)", () => {
  it("marks session cookies Secure when PUBLIC_URL is https, even if the request reached the server over http", async () => {
    const user = await seedUser(db);
    const httpsBase = "https://studio.example.test";
    const secureAuth = createAuth({ db, baseURL: httpsBase, secret: "x".repeat(40) });
    const response = await secureAuth.handler(
      new Request("http://studio.example.test/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: httpsBase },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
    );
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((cookie) => cookie.includes("session_token="));
    expect(session).toMatch(/;\s*Secure/i);

    const plain = (await signIn(user.email, user.password)).response.headers.getSetCookie().find((cookie) => cookie.includes("session_token="));
    expect(plain).not.toMatch(/;\s*Secure/i);
  });
});
