import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AUDIT_KINDS } from "@/lib/schemas/audit";
import type { TTeamDetail } from "@/lib/schemas/teams";
import type { TUsage } from "@/lib/schemas/usage";
import { PROMPT_REFUSED_MESSAGE } from "@/lib/server/moderation/check-prompt";
import { createApiToken } from "@/lib/server/tokens";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";

/**
 * Team management (docs/teams.md, Managing teams) through the real route
 * modules: admins create, rename, re-plan, grant to and delete teams; a
 * team's owner manages its members and nothing else; a user is in one team
 * at most; a team's own policy terms refuse its members' prompts naming the
 * team's policy; every change is audited; Account says which pool paid.
 */
const db = testDb();
/** The audit kinds of team management (the house style's are tests/integration/house-style.test.ts's). */
const TEAM_MANAGEMENT_KINDS = [
  "team.created",
  "team.renamed",
  "team.plan_changed",
  "team.deleted",
  "team.member_added",
  "team.member_removed",
  "team.member_role_changed",
  "team.fast_time_granted",
  "team.policy_changed",
];
const suffix = randomBytes(3).toString("hex");
let server: ApiServer;
let storageDir = "";

interface Caller {
  id: string;
  email: string;
  token: string;
}

async function caller(options: { admin?: boolean } = {}): Promise<Caller> {
  const seeded = await seedUser(db, options);
  return { id: seeded.id, email: seeded.email, token: (await createApiToken(db, seeded.id, "teams")).token };
}

function call(method: string, pathname: string, who: Caller, body?: unknown) {
  return fetch(`${server.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${who.token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

let admin: Caller;
let owner: Caller;
let member: Caller;
let outsider: Caller;

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-teams-admin-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-teams-admin`,
    storageDir,
    routes: [
      { pattern: /^\/api\/v1\/admin\/teams$/, load: () => import("@/app/api/v1/admin/teams/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/admin/teams/[id]/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/members$/, load: () => import("@/app/api/v1/admin/teams/[id]/members/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/members\/(?<userId>[^/]+)$/, load: () => import("@/app/api/v1/admin/teams/[id]/members/[userId]/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/grant$/, load: () => import("@/app/api/v1/admin/teams/[id]/grant/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/policy$/, load: () => import("@/app/api/v1/admin/teams/[id]/policy/route") },
      { pattern: /^\/api\/v1\/jobs$/, load: () => import("@/app/api/v1/jobs/route") },
      { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)\/cancel$/, load: () => import("@/app/api/v1/jobs/[id]/cancel/route") },
      { pattern: /^\/api\/v1\/me\/usage$/, load: () => import("@/app/api/v1/me/usage/route") },
    ],
  });
  // One after another: seedUser seeds the plans, and parallel seeds race on their names.
  admin = await caller({ admin: true });
  owner = await caller();
  member = await caller();
  outsider = await caller();
});

afterAll(async () => {
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("team management", () => {
  let team: TTeamDetail;

  it("lets admins create, rename and re-plan teams, with 409 for a taken name and 403 for everyone else", async () => {
    expect((await call("POST", "/api/v1/admin/teams", outsider, { name: `Nope ${suffix}` })).status).toBe(403);
    expect((await call("GET", "/api/v1/admin/teams", outsider)).status).toBe(403);
    const bad = await call("POST", "/api/v1/admin/teams", admin, { name: " ", plan: "Standard" });
    expect(bad.status).toBe(400);
    const unknownPlan = await call("POST", "/api/v1/admin/teams", admin, { name: `Studio ${suffix}`, plan: "Gold" });
    expect(unknownPlan.status).toBe(400);
    expect((await errorOf(unknownPlan)).message).toMatch(/Unknown plan "Gold"/);

    const created = await call("POST", "/api/v1/admin/teams", admin, { name: `Studio ${suffix}`, plan: "Basic" });
    expect(created.status).toBe(201);
    team = (await created.json()) as TTeamDetail;
    expect(team).toMatchObject({ name: `Studio ${suffix}`, plan: "Basic", memberCount: 0, members: [], policy: { terms: [] } });
    const basic = await db.plan.findFirstOrThrow({ where: { name: "Basic" }, select: { fastMsPerMonth: true } });
    expect(team.pool?.allowanceMs).toBe(Number(basic.fastMsPerMonth));

    const taken = await call("POST", "/api/v1/admin/teams", admin, { name: `Studio ${suffix}` });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).message).toContain(`"Studio ${suffix}" already exists`);

    // A raise applies to the pool at once.
    const renamed = await call("PATCH", `/api/v1/admin/teams/${team.id}`, admin, { name: `Atelier ${suffix}`, plan: "Pro" });
    expect(renamed.status).toBe(200);
    team = (await renamed.json()) as TTeamDetail;
    const pro = await db.plan.findFirstOrThrow({ where: { name: "Pro" }, select: { fastMsPerMonth: true } });
    expect(team).toMatchObject({ name: `Atelier ${suffix}`, plan: "Pro" });
    expect(team.pool?.allowanceMs).toBe(Number(pro.fastMsPerMonth));

    const listed = (await (await call("GET", "/api/v1/admin/teams", admin)).json()) as { teams: Array<{ id: string; plan: string | null }> };
    expect(listed.teams.find((row) => row.id === team.id)).toMatchObject({ plan: "Pro" });
    expect((await call("GET", `/api/v1/admin/teams/00000000-0000-7000-8000-000000000000`, admin)).status).toBe(404);
  });

  it("adds members by email; a user already in a team is a 409 naming it", async () => {
    const added = await call("POST", `/api/v1/admin/teams/${team.id}/members`, admin, { email: owner.email.toUpperCase(), role: "owner" });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { members: Array<{ userId: string; role: string }> }).members).toEqual([expect.objectContaining({ userId: owner.id, role: "owner" })]);

    const unknown = await call("POST", `/api/v1/admin/teams/${team.id}/members`, admin, { email: `nobody-${suffix}@example.test` });
    expect(unknown.status).toBe(404);
    expect((await call("POST", `/api/v1/admin/teams/${team.id}/members`, admin, { email: "not an email" })).status).toBe(400);

    const again = await call("POST", `/api/v1/admin/teams/${team.id}/members`, admin, { email: owner.email });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).message).toContain(`already a member of Atelier ${suffix}`);

    const other = (await (await call("POST", "/api/v1/admin/teams", admin, { name: `Other ${suffix}` })).json()) as TTeamDetail;
    const elsewhere = await call("POST", `/api/v1/admin/teams/${other.id}/members`, admin, { email: owner.email });
    expect(elsewhere.status).toBe(409);
    expect((await errorOf(elsewhere)).message).toContain(`already a member of team "Atelier ${suffix}"`);
    expect((await call("DELETE", `/api/v1/admin/teams/${other.id}`, admin)).status).toBe(204);
  });

  it("lets an owner manage their own team's members only, and nothing else", async () => {
    const added = await call("POST", `/api/v1/admin/teams/${team.id}/members`, owner, { email: member.email });
    expect(added.status).toBe(201);
    expect(await db.teamMember.findUnique({ where: { userId: member.id }, select: { role: true } })).toEqual({ role: "member" });
    expect((await call("PATCH", `/api/v1/admin/teams/${team.id}/members/${member.id}`, owner, { role: "owner" })).status).toBe(200);
    expect((await call("PATCH", `/api/v1/admin/teams/${team.id}/members/${member.id}`, owner, { role: "member" })).status).toBe(200);
    // Not their own seat, not the team's plan, grants, policy or deletion.
    expect((await call("DELETE", `/api/v1/admin/teams/${team.id}/members/${owner.id}`, owner)).status).toBe(403);
    expect((await call("PATCH", `/api/v1/admin/teams/${team.id}`, owner, { plan: "Mega" })).status).toBe(403);
    expect((await call("POST", `/api/v1/admin/teams/${team.id}/grant`, owner, { hours: 5 })).status).toBe(403);
    expect((await call("PATCH", `/api/v1/admin/teams/${team.id}/policy`, owner, { terms: ["x"] })).status).toBe(403);
    expect((await call("DELETE", `/api/v1/admin/teams/${team.id}`, owner)).status).toBe(403);
    expect((await call("GET", `/api/v1/admin/teams/${team.id}`, owner)).status).toBe(403);

    // A member is not an owner; an owner of one team has no say in another.
    const asMember = await call("POST", `/api/v1/admin/teams/${team.id}/members`, member, { email: outsider.email });
    expect(asMember.status).toBe(403);
    expect((await errorOf(asMember)).message).toMatch(/admin or an owner of this team/);
    const other = (await (await call("POST", "/api/v1/admin/teams", admin, { name: `Third ${suffix}` })).json()) as TTeamDetail;
    expect((await call("POST", `/api/v1/admin/teams/${other.id}/members`, owner, { email: outsider.email })).status).toBe(403);
    expect((await call("POST", `/api/v1/admin/teams/${other.id}/members`, outsider, { email: outsider.email })).status).toBe(403);
    // A team that does not exist looks the same to a non-admin.
    expect((await call("DELETE", `/api/v1/admin/teams/00000000-0000-7000-8000-000000000000/members/${member.id}`, outsider)).status).toBe(403);
    expect((await call("DELETE", `/api/v1/admin/teams/${other.id}`, admin)).status).toBe(204);
  });

  it("grants pool hours (admin only; not to a team without a plan)", async () => {
    const noPlan = (await (await call("POST", "/api/v1/admin/teams", admin, { name: `Planless ${suffix}` })).json()) as TTeamDetail;
    expect(noPlan.pool).toBeNull();
    const refused = await call("POST", `/api/v1/admin/teams/${noPlan.id}/grant`, admin, { hours: 2 });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain("has no plan");
    // A pinned house style goes with the team (the team points at the style it pins, the style at its team).
    const style = await db.teamStyle.create({ data: { code: `hs-${suffix}`, teamId: noPlan.id, modelId: "m", axes: [0.1, -0.2] }, select: { id: true } });
    await db.team.update({ where: { id: noPlan.id }, data: { houseStyleId: style.id } });
    expect((await call("DELETE", `/api/v1/admin/teams/${noPlan.id}`, admin)).status).toBe(204);
    expect(await db.teamStyle.findUnique({ where: { id: style.id } })).toBeNull();

    const granted = await call("POST", `/api/v1/admin/teams/${team.id}/grant`, admin, { hours: 2.5, note: "launch week" });
    expect(granted.status).toBe(200);
    team = (await granted.json()) as TTeamDetail;
    expect(team.pool?.grantedMs).toBe(2.5 * 3_600_000);
    expect((await call("POST", `/api/v1/admin/teams/${team.id}/grant`, admin, { hours: 0 })).status).toBe(400);
  });

  it("refuses a member's prompt with the team's own terms, naming the team's policy; others are not affected", async () => {
    const word = `quib${suffix}`;
    const saved = await call("PATCH", `/api/v1/admin/teams/${team.id}/policy`, admin, { terms: [word, word.toUpperCase(), "ok"] });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as TTeamDetail).policy.terms).toEqual([word, "ok"]);
    expect((await call("PATCH", `/api/v1/admin/teams/${team.id}/policy`, admin, { terms: ["a\u0000b"] })).status).toBe(400);

    const refused = await call("POST", "/api/v1/jobs", member, { prompt: `a ${word.replace("i", "1")} at dusk --draft` });
    expect(refused.status).toBe(403);
    const { message } = await errorOf(refused);
    expect(message).toContain(`your team's prompt policy (Atelier ${suffix})`);
    expect(message).not.toBe(PROMPT_REFUSED_MESSAGE);
    expect(message).not.toContain(word);
    const audit = await db.auditEvent.findFirst({ where: { kind: "moderation.prompt_refused", actorId: member.id }, select: { detail: true } });
    expect(audit?.detail).toMatchObject({ policy: `team:${team.id}`, term: word });
    expect(await db.job.count({ where: { userId: member.id } })).toBe(0);

    // Someone outside the team may write the word.
    expect((await call("POST", "/api/v1/jobs", outsider, { prompt: `a ${word} at dusk --draft` })).status).toBe(202);
  });

  it("shows on Account which pool paid each job, and refuses to delete a team while its pool holds queued jobs", async () => {
    const submitted = await call("POST", "/api/v1/jobs", member, { prompt: "a small red circle --draft" });
    expect(submitted.status).toBe(202);
    const job = (await submitted.json()) as { id: string };
    const usage = (await (await call("GET", "/api/v1/me/usage", member)).json()) as TUsage;
    expect(usage.recentJobs.find((row) => row.id === job.id)?.fundedBy).toBe("team");
    const outsiderUsage = (await (await call("GET", "/api/v1/me/usage", outsider)).json()) as TUsage;
    expect(outsiderUsage.recentJobs[0]?.fundedBy).toBe("own");

    const busy = await call("DELETE", `/api/v1/admin/teams/${team.id}`, admin);
    expect(busy.status).toBe(409);
    expect((await errorOf(busy)).message).toContain(`Team "Atelier ${suffix}" still has 1 job queued or running on its pool`);

    expect((await call("POST", `/api/v1/jobs/${job.id}/cancel`, member)).status).toBe(200);
    expect((await call("DELETE", `/api/v1/admin/teams/${team.id}/members/${member.id}`, owner)).status).toBe(204);
    expect(await db.teamMember.findUnique({ where: { userId: member.id } })).toBeNull();
    expect((await call("DELETE", `/api/v1/admin/teams/${team.id}`, admin)).status).toBe(204);
    expect(await db.team.findUnique({ where: { id: team.id } })).toBeNull();
    expect(await db.promptPolicy.findUnique({ where: { scope: `team:${team.id}` } })).toBeNull();
    expect(await db.teamMember.findUnique({ where: { userId: owner.id } })).toBeNull();
    await expectLedgerInvariants(db);
  });

  it("wrote an audit event for every kind of team change", async () => {
    const events = await db.auditEvent.findMany({ where: { kind: { startsWith: "team." }, subjectId: { in: [team.id, owner.id, member.id] } }, select: { kind: true, actorId: true, detail: true } });
    const kinds = new Set(events.map((event) => event.kind));
    expect(TEAM_MANAGEMENT_KINDS.every((kind) => (AUDIT_KINDS as readonly string[]).includes(kind))).toBe(true);
    expect(TEAM_MANAGEMENT_KINDS.filter((kind) => !kinds.has(kind))).toEqual([]);
    expect(events.find((event) => event.kind === "team.plan_changed")?.detail).toEqual({ from: "Basic", to: "Pro" });
    expect(events.find((event) => event.kind === "team.fast_time_granted")?.detail).toEqual({ hours: 2.5, note: "launch week" });
    // The owner's own changes are recorded as theirs.
    expect(events.filter((event) => event.kind === "team.member_role_changed").every((event) => event.actorId === owner.id)).toBe(true);
  });
});
