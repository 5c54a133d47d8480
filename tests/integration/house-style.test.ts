import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZJobParams } from "@/lib/jobs/registry";
import { profileCode, styleSteering } from "@/lib/personalization";
import type { THouseStyle, THouseStyleVersion } from "@/lib/schemas/house-style";
import { modelStyle } from "@/lib/server/personalization/axes";
import { createApiToken } from "@/lib/server/tokens";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../support/worker-process";

/**
 * The house style (issue 26, docs/teams.md "House style"), through the real
 * route modules: pooling two members' profiles and moodboards gives the
 * equal-weight mean of the members, an adjustment and a pin make and choose
 * versions, only an admin or the team's owner may do either, and a member's
 * `--p` job, accepted through POST /api/v1/jobs, steers with the pinned style
 * and records its code; members who turned personalization off are not
 * pooled. Profiles and moodboards are written with Prisma:
 * what is tested is how they are pooled, not how they are made.
 */
const db = testDb();
const MODEL = FIXTURE_MODEL;
let server: ApiServer;
let storageDir = "";
let K = 0;
type TCaller = { id: string; token: string };
let admin: TCaller;
let owner: TCaller;
let ranker: TCaller;
let boarder: TCaller;
let idle: TCaller;
let outsider: TCaller;
let teamId = "";

async function caller(options: { admin?: boolean } = {}): Promise<TCaller> {
  const seeded = await seedUser(db, options);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "house-style")).token };
}

function call(method: string, pathname: string, token: string, body?: unknown) {
  return fetch(`${server.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

const code = () => profileCode(`house-style-test:${randomBytes(6).toString("hex")}`, 0);

/** A stored profile version (weights and the K×K covariance, row-major). */
async function profile(userId: string, weights: number[], variance: number) {
  const covariance = weights.flatMap((_, i) => weights.map((__, j) => (i === j ? variance : 0)));
  await db.profileVersion.create({ data: { code: code(), userId, modelId: MODEL, weights, bias: 0, covariance, answers: 200, skips: 0, metrics: {} } });
}

async function moodboard(userId: string, styles: number[][]) {
  await db.moodboard.create({
    data: { userId, name: "board", modelId: MODEL, code: code(), items: { create: styles.map((style, i) => ({ storageKey: `house-style/${i}.png`, style })) } },
  });
}

const near = (actual: readonly number[], expected: readonly number[]) => actual.forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, 9));

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-house-style-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-house-style`,
    storageDir,
    routes: [
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/style$/, load: () => import("@/app/api/v1/admin/teams/[id]/style/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/style\/pool$/, load: () => import("@/app/api/v1/admin/teams/[id]/style/pool/route") },
      { pattern: /^\/api\/v1\/admin\/teams\/(?<id>[^/]+)\/style\/versions$/, load: () => import("@/app/api/v1/admin/teams/[id]/style/versions/route") },
      { pattern: /^\/api\/v1\/jobs$/, load: () => import("@/app/api/v1/jobs/route") },
      { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)\/rerun$/, load: () => import("@/app/api/v1/jobs/[id]/rerun/route") },
    ],
  });
  K = (await modelStyle(FIXTURE_MODELS_DIR, MODEL)).axes.length;
  // One after another: seedUser upserts the default plans, and concurrent upserts race on the plan name.
  admin = await caller({ admin: true });
  [owner, ranker, boarder, idle, outsider] = [await caller(), await caller(), await caller(), await caller(), await caller()];
  const team = await db.team.create({
    data: {
      name: `House ${randomBytes(3).toString("hex")}`,
      members: { create: [{ userId: owner.id, role: "owner" }, { userId: ranker.id }, { userId: boarder.id }, { userId: idle.id }] },
    },
    select: { id: true },
  });
  teamId = team.id;
});

afterAll(async () => {
  if (teamId) await db.team.delete({ where: { id: teamId } }).catch(() => undefined);
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("house style", () => {
  it("answers 400 with what to do when no member has a profile or a moodboard for the model", async () => {
    const empty = await call("POST", `/api/v1/admin/teams/${teamId}/style/pool`, owner.token, { modelId: MODEL });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.message).toMatch(/rank pairs.*moodboards/);
    const noModel = await call("POST", `/api/v1/admin/teams/${teamId}/style/pool`, owner.token, { modelId: "no-such-model" });
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error.message).toContain("no-such-model");
  });

  it("pools two members with equal weight (a member's profile and moodboards averaged first); a member with nothing is skipped", async () => {
    const axis = (k: number, value: number) => Array.from({ length: K }, (_, i) => (i === k ? value : 0));
    // The ranker: an older profile, then the latest (only the latest counts), decisive on axis 0.
    await profile(ranker.id, axis(0, -3), 0.1);
    const latest = Array.from({ length: K }, (_, i) => (i === 0 ? 2 : 0.1 * i));
    await profile(ranker.id, latest, 0.5);
    // The boarder: a profile and three boards (one of them empty, which has no style and is left out).
    const theirs = axis(1, 1.5);
    await profile(boarder.id, theirs, 0.2);
    await moodboard(boarder.id, [axis(2, 0.8), axis(2, 0.4)]);
    await moodboard(boarder.id, [axis(3, -0.6)]);
    await moodboard(boarder.id, []);

    const pooled = await call("POST", `/api/v1/admin/teams/${teamId}/style/pool`, owner.token, { modelId: MODEL });
    expect(pooled.status).toBe(201);
    const version = (await pooled.json()) as THouseStyleVersion;
    expect(version.code).toMatch(/^[a-z0-9]{8}$/);
    expect(version.sources).toEqual({ kind: "pooled", members: 2, profiles: 2, moodboards: 2 });

    // A profile's point on the axes is its steering preference: tanh of the shrunk weights.
    const point = (weights: number[], variance: number) => styleSteering(weights, weights.map((_, i) => ({ id: String(i) })), 0, { weightSd: weights.map(() => Math.sqrt(variance)) }).preference;
    const rankerPoint = point(latest, 0.5);
    const boards = Array.from({ length: K }, (_, k) => ((k === 2 ? 0.6 : 0) + (k === 3 ? -0.6 : 0)) / 2);
    const boarderPoint = point(theirs, 0.2).map((value, k) => (value + boards[k]!) / 2);
    near(version.axes, rankerPoint.map((value, k) => (value + boarderPoint[k]!) / 2));
    expect(version.axes[0]).toBeGreaterThan(0);

    const view = (await (await call("GET", `/api/v1/admin/teams/${teamId}/style?model=${MODEL}`, owner.token)).json()) as THouseStyle;
    expect(view.axes).toHaveLength(K);
    expect(view.axes[0]).toMatchObject({ id: expect.any(String), negative: expect.any(String), positive: expect.any(String) });
    expect(view.versions.map((item) => item.code)).toEqual([version.code]);
    expect(view.pinned).toBeNull();
    expect(view.models.map((model) => model.id)).toContain(MODEL);
    const audit = await db.auditEvent.findFirst({ where: { kind: "team.house_style.pooled", subjectId: teamId }, select: { actorId: true, detail: true } });
    expect(audit).toMatchObject({ actorId: owner.id, detail: { code: version.code, model: MODEL, members: 2 } });
  });

  it("leaves out members who turned personalization off, and counts only those who contributed", async () => {
    // A team of its own, so the main team's versions and audit trail stay as the other tests expect.
    const [keen, optedOut] = [await caller(), await caller()];
    const team = await db.team.create({
      data: { name: `Opt-out ${randomBytes(3).toString("hex")}`, members: { create: [{ userId: keen.id, role: "owner" }, { userId: optedOut.id }] } },
      select: { id: true },
    });
    try {
      const keenWeights = Array.from({ length: K }, (_, i) => (i === 0 ? 1.2 : 0));
      await profile(keen.id, keenWeights, 0.3);
      await profile(optedOut.id, Array.from({ length: K }, (_, i) => (i === 0 ? -2 : 0.5)), 0.3);
      await moodboard(optedOut.id, [Array.from({ length: K }, () => -0.7)]);
      await db.user.update({ where: { id: optedOut.id }, data: { personalize: false } });

      const pooled = await call("POST", `/api/v1/admin/teams/${team.id}/style/pool`, keen.token, { modelId: MODEL });
      expect(pooled.status).toBe(201);
      const version = (await pooled.json()) as THouseStyleVersion;
      expect(version.sources).toEqual({ kind: "pooled", members: 1, profiles: 1, moodboards: 0 });
      near(version.axes, styleSteering(keenWeights, keenWeights.map((_, i) => ({ id: String(i) })), 0, { weightSd: keenWeights.map(() => Math.sqrt(0.3)) }).preference);

      // With every member opted out nothing is left to pool: the 400 says why.
      await db.user.update({ where: { id: keen.id }, data: { personalize: false } });
      const none = await call("POST", `/api/v1/admin/teams/${team.id}/style/pool`, keen.token, { modelId: MODEL });
      expect(none.status).toBe(400);
      expect((await none.json()).error.message).toMatch(/turned personalization off/);

      // Turned back on, both count again.
      await db.user.updateMany({ where: { id: { in: [keen.id, optedOut.id] } }, data: { personalize: true } });
      const both = (await (await call("POST", `/api/v1/admin/teams/${team.id}/style/pool`, keen.token, { modelId: MODEL })).json()) as THouseStyleVersion;
      expect(both.sources).toEqual({ kind: "pooled", members: 2, profiles: 2, moodboards: 1 });
    } finally {
      await db.team.delete({ where: { id: team.id } });
    }
  });

  it("adjusts into a new version (validated: one value per axis, each in [-1, 1]) and pins it; only an admin or the owner may", async () => {
    const view = (await (await call("GET", `/api/v1/admin/teams/${teamId}/style?model=${MODEL}`, admin.token)).json()) as THouseStyle;
    const from = view.versions[0]!;
    const sliders = from.axes.map((value, k) => (k === 0 ? 0.9 : value));
    for (const [axes, problem] of [
      [sliders.map((value, k) => (k === 1 ? 1.5 : value)), "between -1 and 1"],
      [sliders.slice(1), `${K} style axes`],
    ] as const) {
      const bad = await call("POST", `/api/v1/admin/teams/${teamId}/style/versions`, admin.token, { modelId: MODEL, fromCode: from.code, axes });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain(problem);
    }
    const saved = await call("POST", `/api/v1/admin/teams/${teamId}/style/versions`, admin.token, { modelId: MODEL, fromCode: from.code, axes: sliders });
    expect(saved.status).toBe(201);
    const adjusted = (await saved.json()) as THouseStyleVersion;
    expect(adjusted.code).not.toBe(from.code);
    expect(adjusted.axes).toEqual(sliders);
    expect(adjusted.sources).toMatchObject({ kind: "adjusted", adjustedFrom: from.code, adjustedBy: admin.id, members: 2 });
    // The version it started from is unchanged.
    expect((await db.teamStyle.findUniqueOrThrow({ where: { code: from.code }, select: { axes: true } })).axes).toEqual(from.axes);

    // A member who is not the owner, and a user outside the team: 403 on every house style route.
    for (const who of [ranker, outsider]) {
      expect((await call("GET", `/api/v1/admin/teams/${teamId}/style`, who.token)).status).toBe(403);
      expect((await call("POST", `/api/v1/admin/teams/${teamId}/style/pool`, who.token, { modelId: MODEL })).status).toBe(403);
      expect((await call("POST", `/api/v1/admin/teams/${teamId}/style/versions`, who.token, { modelId: MODEL, axes: sliders })).status).toBe(403);
      expect((await call("PATCH", `/api/v1/admin/teams/${teamId}/style`, who.token, { code: adjusted.code })).status).toBe(403);
    }
    // A version of another team cannot be pinned here.
    const otherTeam = await db.team.create({ data: { name: `Other ${randomBytes(3).toString("hex")}` }, select: { id: true } });
    const foreign = await call("POST", `/api/v1/admin/teams/${otherTeam.id}/style/versions`, admin.token, { modelId: MODEL, axes: sliders });
    const foreignCode = ((await foreign.json()) as THouseStyleVersion).code;
    expect((await call("PATCH", `/api/v1/admin/teams/${teamId}/style`, owner.token, { code: foreignCode })).status).toBe(404);

    const pinned = await call("PATCH", `/api/v1/admin/teams/${teamId}/style`, owner.token, { code: adjusted.code });
    expect(pinned.status).toBe(200);
    expect((await pinned.json()).pinned).toMatchObject({ code: adjusted.code, pinned: true });
    const after = (await (await call("GET", `/api/v1/admin/teams/${teamId}/style`, owner.token)).json()) as THouseStyle;
    expect(after.pinned?.code).toBe(adjusted.code);
    expect(after.versions.find((item) => item.pinned)?.code).toBe(adjusted.code);

    // Unpin and pin again, so all four audit kinds are written.
    expect((await (await call("PATCH", `/api/v1/admin/teams/${teamId}/style`, owner.token, { code: null })).json()).pinned).toBeNull();
    expect((await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { houseStyleId: true } })).houseStyleId).toBeNull();
    expect((await call("PATCH", `/api/v1/admin/teams/${teamId}/style`, admin.token, { code: adjusted.code })).status).toBe(200);
    const kinds = (await db.auditEvent.findMany({ where: { subjectId: teamId, kind: { startsWith: "team.house_style." } }, orderBy: { id: "asc" }, select: { kind: true } })).map((event) => event.kind);
    expect(kinds).toEqual(["team.house_style.pooled", "team.house_style.adjusted", "team.house_style.pinned", "team.house_style.unpinned", "team.house_style.pinned"]);
    await db.team.delete({ where: { id: otherTeam.id } });
  });

  it("a member's --p job steers with the pinned house style and records its code; Rerun keeps it; outsiders cannot use the code", async () => {
    const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { houseStyle: { select: { code: true, axes: true } } } });
    const house = team.houseStyle!;
    // The idle member has no profile of their own: `--p` is the house style.
    const accepted = await call("POST", "/api/v1/jobs", idle.token, { prompt: "a lighthouse at dusk --p --draft" });
    expect(accepted.status).toBe(202);
    const job = (await accepted.json()) as { id: string };
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { params: true, recipe: true } });
    const params = ZJobParams.parse(row.params);
    expect(params.personalize?.codes).toEqual([house.code]);
    expect((row.recipe as { personalize: { codes: string[] } }).personalize.codes).toEqual([house.code]);
    const coefficients = params.personalize!.axes.map((axis) => axis.coefficient);
    expect(coefficients.some((value) => value !== 0)).toBe(true);
    // The style's values are the preferences (clamped at ±0.99 like a moodboard's, so a pole stays finite).
    near(params.personalize!.axes.map((axis) => axis.preference), house.axes.map((value) => Math.max(-0.99, Math.min(0.99, value))));

    // A member with a profile of their own also gets the house style with `--p` …
    const ranked = await call("POST", "/api/v1/jobs", ranker.token, { prompt: "a lighthouse at dusk --p --draft" });
    expect(ZJobParams.parse((await db.job.findUniqueOrThrow({ where: { id: ((await ranked.json()) as { id: string }).id }, select: { params: true } })).params).personalize?.codes).toEqual([house.code]);
    // … and Rerun of the job reproduces it.
    const rerun = await call("POST", `/api/v1/jobs/${job.id}/rerun`, idle.token, {});
    expect(rerun.status).toBe(202);
    const again = await db.job.findUniqueOrThrow({ where: { id: ((await rerun.json()) as { id: string }).id }, select: { params: true } });
    expect(ZJobParams.parse(again.params).personalize?.codes).toEqual([house.code]);

    // The code by name works for members and admins, and is an unknown code to anyone else.
    expect((await call("POST", "/api/v1/jobs", boarder.token, { prompt: `a lighthouse --p ${house.code} --draft` })).status).toBe(202);
    expect((await call("POST", "/api/v1/jobs", admin.token, { prompt: `a lighthouse --p ${house.code} --draft` })).status).toBe(202);
    const refused = await call("POST", "/api/v1/jobs", outsider.token, { prompt: `a lighthouse --p ${house.code} --draft` });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toContain(house.code);
  });

  it("a pinned style for another model does not apply: --p falls back to the member's own profile, else today's 400", async () => {
    const elsewhere = await db.teamStyle.create({ data: { code: code(), teamId, modelId: "another-model", axes: [0.5], createdById: admin.id }, select: { id: true } });
    await db.team.update({ where: { id: teamId }, data: { houseStyleId: elsewhere.id } });
    const own = await db.profileVersion.findFirstOrThrow({ where: { userId: ranker.id, modelId: MODEL }, orderBy: { id: "desc" }, select: { code: true } });
    const ranked = await call("POST", "/api/v1/jobs", ranker.token, { prompt: "a lighthouse --p --draft" });
    expect(ranked.status).toBe(202);
    const row = await db.job.findUniqueOrThrow({ where: { id: ((await ranked.json()) as { id: string }).id }, select: { params: true } });
    expect(ZJobParams.parse(row.params).personalize?.codes).toEqual([own.code]);
    const none = await call("POST", "/api/v1/jobs", idle.token, { prompt: "a lighthouse --p --draft" });
    expect(none.status).toBe(400);
    expect((await none.json()).error.message).toContain("/personalize");
  });
});
