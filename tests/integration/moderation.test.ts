import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PROMPT_REFUSED_MESSAGE } from "@/lib/server/moderation/check-prompt";
import { createApiToken } from "@/lib/server/tokens";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";

/**
 * The prompt policy (issue 26, Moderation): refused before anything is
 * queued or charged on imagine, Draft (start and follow-up) and the OpenAI
 * Images API, with the attempt in the audit log. The terms are invented
 * words, so the studio-wide policy cannot refuse another test's prompts.
 */
const db = testDb();
const WORD = `zorb${randomBytes(2).toString("hex")}`;
const PHRASE = `glim ${randomBytes(2).toString("hex")}x`;
let server: ApiServer;
let storageDir = "";
let admin: { id: string; token: string };
let user: { id: string; token: string };

async function tokenFor(options: { admin?: boolean } = {}) {
  const seeded = await seedUser(db, options);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "moderation")).token };
}

function call(method: string, pathname: string, token: string, body?: unknown) {
  return fetch(`${server.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function nothingCharged(userId: string, jobsBefore: number) {
  expect(await db.job.count({ where: { userId } })).toBe(jobsBefore);
  const account = await db.usageAccount.findUnique({ where: { userId }, select: { heldMs: true, usedMs: true } });
  const holds = await db.ledgerEntry.count({ where: { userId, kind: "hold" } });
  return { account, holds };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-moderation-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-moderation`,
    storageDir,
    routes: [
      { pattern: /^\/api\/v1\/admin\/moderation$/, load: () => import("@/app/api/v1/admin/moderation/route") },
      { pattern: /^\/api\/v1\/admin\/audit$/, load: () => import("@/app/api/v1/admin/audit/route") },
      { pattern: /^\/api\/v1\/jobs$/, load: () => import("@/app/api/v1/jobs/route") },
      { pattern: /^\/api\/v1\/draft\/sessions$/, load: () => import("@/app/api/v1/draft/sessions/route") },
      { pattern: /^\/api\/v1\/draft\/sessions\/(?<id>[^/]+)\/messages$/, load: () => import("@/app/api/v1/draft/sessions/[id]/messages/route") },
      { pattern: /^\/v1\/images\/generations$/, load: () => import("@/app/v1/images/generations/route") },
    ],
  });
  admin = await tokenFor({ admin: true });
  user = await tokenFor();
});

afterAll(async () => {
  // Leave the studio-wide policy as this test found it (empty in a fresh run).
  if (admin) await call("PATCH", "/api/v1/admin/moderation", admin.token, { terms: [] });
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("prompt policy", () => {
  it("is edited by admins only, validated, and the change is audited", async () => {
    expect((await call("PATCH", "/api/v1/admin/moderation", user.token, { terms: [WORD] })).status).toBe(403);
    const bad = await call("PATCH", "/api/v1/admin/moderation", admin.token, { terms: ["ok", "a\u0000b"] });
    expect(bad.status).toBe(400);
    const saved = await call("PATCH", "/api/v1/admin/moderation", admin.token, { terms: [WORD, PHRASE, WORD.toUpperCase()] });
    expect(saved.status).toBe(200);
    // The upper-case spelling folds to the same term: kept once.
    expect((await saved.json()).terms).toEqual([WORD, PHRASE]);
    expect((await (await call("GET", "/api/v1/admin/moderation", admin.token)).json()).terms).toEqual([WORD, PHRASE]);
    const changed = await db.auditEvent.findFirst({ where: { kind: "moderation.policy_changed", actorId: admin.id }, orderBy: { id: "desc" }, select: { detail: true } });
    expect(changed?.detail).toMatchObject({ added: [WORD, PHRASE] });
  });

  it("refuses a blocked imagine prompt (look-alikes and accents folded) before queueing, charging nothing, with an audit row", async () => {
    const disguised = WORD.replace("o", "0").replace("z", "Ž");
    const refused = await call("POST", "/api/v1/jobs", user.token, { prompt: `a portrait of a ${disguised}, oil painting --ar 3:2` });
    expect(refused.status).toBe(403);
    const { error } = await refused.json();
    expect(error.message).toBe(PROMPT_REFUSED_MESSAGE);
    expect(error.message).toContain("prompt policy");
    expect(error.message).not.toContain(WORD);
    const { account, holds } = await nothingCharged(user.id, 0);
    expect(holds).toBe(0);
    expect(account?.heldMs ?? 0n).toBe(0n);
    const audit = await db.auditEvent.findFirst({ where: { kind: "moderation.prompt_refused", actorId: user.id }, orderBy: { id: "desc" }, select: { detail: true, actorEmail: true } });
    expect(audit?.detail).toMatchObject({ term: WORD, source: "web" });
    expect(audit?.actorEmail).toMatch(/@example\.test$/);

    // A negative prompt (--no) is checked too; a word that merely contains the term is not refused.
    expect((await call("POST", "/api/v1/jobs", user.token, { prompt: `a quiet lake --no ${PHRASE}` })).status).toBe(403);
    const allowed = await call("POST", "/api/v1/jobs", user.token, { prompt: `a quiet lake of ${WORD}s` });
    expect(allowed.status).toBe(202);
  });

  it("refuses a blocked Draft start and a blocked follow-up message, leaving the session as it was", async () => {
    const drafter = await tokenFor();
    const refusedStart = await call("POST", "/api/v1/draft/sessions", drafter.token, { prompt: `a ${PHRASE.toUpperCase()} in the fog` });
    expect(refusedStart.status).toBe(403);
    expect(await db.draftSession.count({ where: { userId: drafter.id } })).toBe(0);

    const started = await call("POST", "/api/v1/draft/sessions", drafter.token, { prompt: "a lighthouse in the fog" });
    expect(started.status).toBe(201);
    const session = (await started.json()) as { id: string };
    const jobsBefore = await db.job.count({ where: { userId: drafter.id } });
    const turnsBefore = await db.draftTurn.count({ where: { sessionId: session.id } });
    const refused = await call("POST", `/api/v1/draft/sessions/${session.id}/messages`, drafter.token, { message: `add a ${WORD} on the rocks` });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe(PROMPT_REFUSED_MESSAGE);
    expect(await db.draftTurn.count({ where: { sessionId: session.id } })).toBe(turnsBefore);
    await nothingCharged(drafter.id, jobsBefore);
    const sources = await db.auditEvent.findMany({ where: { kind: "moderation.prompt_refused", actorId: drafter.id }, select: { detail: true } });
    expect(sources.map((row) => (row.detail as { source: string }).source).sort()).toEqual(["draft", "web"]);
  });

  it("refuses a blocked prompt on the OpenAI Images API in OpenAI's error shape, charging nothing", async () => {
    const client = await tokenFor();
    const response = await call("POST", "/v1/images/generations", client.token, { prompt: `a ${WORD.replace("z", "Z").replace("o", "0")} at dawn`, n: 1, size: "256x256" });
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error.type).toBe("permission_error");
    expect(body.error.message).toBe(PROMPT_REFUSED_MESSAGE);
    const { account, holds } = await nothingCharged(client.id, 0);
    expect(holds).toBe(0);
    expect(account?.heldMs ?? 0n).toBe(0n);
    const audit = await db.auditEvent.findFirst({ where: { kind: "moderation.prompt_refused", actorId: client.id }, select: { detail: true } });
    expect(audit?.detail).toMatchObject({ source: "openai", term: WORD });

    // The admin's audit log finds it by kind and actor.
    const listed = await call("GET", `/api/v1/admin/audit?kind=moderation.prompt_refused&actor=${client.id}`, admin.token);
    expect(listed.status).toBe(200);
    expect((await listed.json()).events).toHaveLength(1);
  });
});
