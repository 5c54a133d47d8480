import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AUDIT_KINDS } from "@/lib/schemas/audit";
import { createApiToken } from "@/lib/server/tokens";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";

/**
 * The audit log (issue 26): one event per admin or security action, written
 * by the real routes; append-only in the database itself; filtered and
 * exported as CSV by an admin-only endpoint.
 */
const db = testDb();
const ORIGIN = "http://localhost:3000";
let server: ApiServer;
let storageDir = "";

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-audit-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-audit`,
    storageDir,
    routes: [
      { pattern: /^\/api\/auth\/(?<all>.+)$/, load: () => import("@/app/api/auth/[...all]/route") },
      { pattern: /^\/api\/v1\/tokens$/, load: () => import("@/app/api/v1/tokens/route") },
      { pattern: /^\/api\/v1\/tokens\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/tokens/[id]/route") },
      { pattern: /^\/api\/v1\/admin\/users\/(?<id>[^/]+)\/grant$/, load: () => import("@/app/api/v1/admin/users/[id]/grant/route") },
      { pattern: /^\/api\/v1\/admin\/users\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/admin/users/[id]/route") },
      { pattern: /^\/api\/v1\/admin\/plans\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/admin/plans/[id]/route") },
      { pattern: /^\/api\/v1\/admin\/settings$/, load: () => import("@/app/api/v1/admin/settings/route") },
      { pattern: /^\/api\/v1\/admin\/moderation$/, load: () => import("@/app/api/v1/admin/moderation/route") },
      { pattern: /^\/api\/v1\/admin\/audit$/, load: () => import("@/app/api/v1/admin/audit/route") },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

function send(method: string, pathname: string, headers: Record<string, string>, body?: unknown) {
  return fetch(`${server.url}${pathname}`, {
    method,
    headers: { origin: ORIGIN, ...headers, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function signIn(email: string, password: string) {
  return send("POST", "/api/auth/sign-in/email", {}, { email, password });
}

async function eventsOf(filter: { actorId?: string; subjectId?: string }) {
  return db.auditEvent.findMany({ where: filter, orderBy: { id: "asc" }, select: { kind: true, actorId: true, subjectId: true, subjectLabel: true, detail: true, address: true } });
}

describe("audit log", () => {
  it("records every kind of admin and security event where it happens", async () => {
    const admin = await seedUser(db, { admin: true });
    const member = await seedUser(db);
    const bearer = { authorization: `Bearer ${(await createApiToken(db, admin.id, "audit-admin")).token}` };

    expect((await signIn(member.email, "wrong-password-1")).status).toBe(401);
    const signedIn = await signIn(member.email, member.password);
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");

    const created = await send("POST", "/api/v1/tokens", { cookie }, { name: '=HYPERLINK("http://evil.example","x"), ok' });
    expect(created.status).toBe(201);
    const token = (await created.json()) as { id: string; prefix: string };
    expect((await send("DELETE", `/api/v1/tokens/${token.id}`, { cookie })).status).toBe(204);

    for (const change of [{ role: "admin" }, { role: "user" }, { plan: "Pro" }, { disabled: true }, { disabled: false }]) {
      expect((await send("PATCH", `/api/v1/admin/users/${member.id}`, bearer, change)).status).toBe(200);
    }
    expect((await send("POST", `/api/v1/admin/users/${member.id}/grant`, bearer, { hours: 1.5, note: "conference" })).status).toBe(200);
    const plan = await db.plan.findFirstOrThrow({ where: { name: "Pro" }, select: { id: true, maxRepeat: true } });
    // The same value again: recorded, and nothing else in the studio changes.
    expect((await send("PATCH", `/api/v1/admin/plans/${plan.id}`, bearer, { maxRepeat: plan.maxRepeat })).status).toBe(200);
    const settings = (await (await send("GET", "/api/v1/admin/settings", bearer)).json()) as { signupOpen: boolean };
    expect((await send("PATCH", "/api/v1/admin/settings", bearer, { signupOpen: settings.signupOpen })).status).toBe(200);
    const policy = (await (await send("GET", "/api/v1/admin/moderation", bearer)).json()) as { terms: string[] };
    expect((await send("PATCH", "/api/v1/admin/moderation", bearer, { terms: policy.terms })).status).toBe(200);

    const byMember = (await eventsOf({ actorId: member.id })).map((event) => event.kind);
    expect(byMember).toEqual(["auth.sign_in", "token.created", "token.revoked"]);
    const failed = await db.auditEvent.findFirstOrThrow({ where: { kind: "auth.sign_in_failed", subjectId: member.email }, select: { detail: true, address: true, actorId: true } });
    expect(failed).toMatchObject({ actorId: null, detail: { reason: "invalid_credentials", status: 401 } });
    expect(failed.address).toBeTruthy();

    const onMember = await eventsOf({ subjectId: member.id });
    expect(onMember.map((event) => event.kind)).toEqual(["user.role_changed", "user.role_changed", "user.plan_changed", "user.disabled", "user.enabled", "user.fast_time_granted"]);
    expect(onMember.every((event) => event.actorId === admin.id && event.subjectLabel === member.email)).toBe(true);
    expect(onMember[0]?.detail).toEqual({ from: "user", to: "admin" });
    expect(onMember[5]?.detail).toEqual({ hours: 1.5, note: "conference" });

    const byAdmin = (await eventsOf({ actorId: admin.id })).map((event) => event.kind);
    expect(byAdmin).toEqual(expect.arrayContaining(["plan.changed", "settings.changed", "moderation.policy_changed"]));
    // Every kind the filter offers is one some code path writes (moderation.prompt_refused: tests/integration/moderation.test.ts;
    // the team.* kinds: tests/integration/teams-admin.test.ts checks team management's, house-style.test.ts the house style's).
    const teamKinds = AUDIT_KINDS.filter((kind) => kind.startsWith("team."));
    const seen = new Set([...byMember, ...byAdmin, ...onMember.map((event) => event.kind), "auth.sign_in_failed", "moderation.prompt_refused", ...teamKinds]);
    expect([...AUDIT_KINDS].filter((kind) => !seen.has(kind))).toEqual([]);
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const admin = await seedUser(db, { admin: true });
    await db.auditEvent.create({ data: { kind: "settings.changed", actorId: admin.id, actorEmail: admin.email } });
    await expect(db.$executeRaw`UPDATE audit_event SET kind = 'x' WHERE "actorId" = ${admin.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_event WHERE "actorId" = ${admin.id}`).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({ where: { actorId: admin.id } })).rejects.toThrow();
    await expect(db.$executeRawUnsafe("TRUNCATE audit_event")).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count({ where: { actorId: admin.id, kind: "settings.changed" } })).toBe(1);
  });

  it("is listed and exported for admins only, filtered by kind, actor and days, with safe CSV", async () => {
    const admin = await seedUser(db, { admin: true });
    const member = await seedUser(db);
    const adminBearer = { authorization: `Bearer ${(await createApiToken(db, admin.id, "a")).token}` };
    const memberBearer = { authorization: `Bearer ${(await createApiToken(db, member.id, "m")).token}` };
    const signedIn = await signIn(member.email, member.password);
    const cookie = signedIn.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
    await send("POST", "/api/v1/tokens", { cookie }, { name: '=cmd|"/c calc"!A1, "quoted"' });

    expect((await send("GET", "/api/v1/admin/audit", memberBearer)).status).toBe(403);
    expect((await send("GET", "/api/v1/admin/audit?kind=nope", adminBearer)).status).toBe(400);
    expect((await send("GET", "/api/v1/admin/audit?from=2026-13-40", adminBearer)).status).toBe(400);

    const today = new Date().toISOString().slice(0, 10);
    const page = await (await send("GET", `/api/v1/admin/audit?actor=${encodeURIComponent(member.email.toUpperCase())}&from=${today}&to=${today}`, adminBearer)).json();
    expect(page.events.map((event: { kind: string }) => event.kind)).toEqual(["token.created", "auth.sign_in"]);
    const byKind = await (await send("GET", `/api/v1/admin/audit?actor=${member.id}&kind=token.created`, adminBearer)).json();
    expect(byKind.events).toHaveLength(1);
    const future = await (await send("GET", `/api/v1/admin/audit?actor=${member.id}&from=9999-12-30`, adminBearer)).json();
    expect(future.events).toEqual([]);

    const csv = await send("GET", `/api/v1/admin/audit?actor=${member.id}&kind=token.created&format=csv`, adminBearer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const text = await csv.text();
    const [header, row] = text.split("\r\n");
    expect(header).toBe("at,kind,actor_id,actor_email,subject_id,subject,address,detail");
    // The name starts with "=": prefixed with ' and quoted, its quotes doubled.
    expect(row).toContain(`"'=cmd|""/c calc""!A1, ""quoted"""`);
    expect(text.endsWith("\r\n")).toBe(true);
  });
});
