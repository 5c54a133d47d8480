import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectLedgerInvariants } from "../support/invariants";
import { OwnPostgres } from "../support/own-postgres";
import { startRouteServer, type RouteServer } from "../support/route-server";

/**
 * Postgres restarts under the API: requests in flight and made while it is
 * down get a 503 with a clear message (never a 500), the same server
 * recovers by itself once Postgres is back, and nothing half-written is left
 * (every job row has its hold, every hold its job).
 */
let postgres: OwnPostgres;
let server: RouteServer;

async function call(method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${postgres.token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let json: { id?: string; error?: { code: string; message: string } } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: kept as text below
  }
  return { status: response.status, json, text, retryAfter: response.headers.get("retry-after") };
}

beforeAll(async () => {
  postgres = await OwnPostgres.start("restart");
  server = await startRouteServer({ databaseUrl: postgres.databaseUrl, redisUrl: inject("redisUrl"), prefix: `${inject("redisPrefix")}-pg`, storageDir: postgres.home });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await postgres?.close();
});

describe("Postgres restarted under the API", () => {
  it("answers 503 with a message while down, recovers without a restart, and leaves no half-written rows", async () => {
    const before = await call("POST", "/api/v1/jobs", { prompt: "a red boat" });
    expect(before.status, before.text).toBe(202);

    // Submissions in flight while Postgres goes away: each is accepted or refused cleanly.
    const inFlight = Array.from({ length: 12 }, (_, n) => call("POST", "/api/v1/jobs", { prompt: `a blue moon --seed ${n}` }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await postgres.stop();
    const racing = await Promise.all(inFlight);
    for (const answer of racing) expect([202, 503], answer.text).toContain(answer.status);

    // While it is down: every kind of request gets a clear 503.
    for (const [method, route, body] of [
      ["POST", "/api/v1/jobs", { prompt: "a green tree" }],
      ["GET", `/api/v1/jobs/${before.json.id}`, undefined],
      ["GET", "/api/v1/images", undefined],
      ["GET", "/api/v1/me", undefined],
    ] as const) {
      const answer = await call(method, route, body);
      expect(answer.status, `${method} ${route}: ${answer.text}`).toBe(503);
      expect(answer.json.error?.code).toBe("UNAVAILABLE");
      expect(answer.json.error?.message).toMatch(/database or queue is unreachable/);
      expect(answer.retryAfter).toBe("5");
    }
    const health = await call("GET", "/api/v1/health");
    expect(health.status).toBe(503);

    // Back on the same port and data folder: the same server recovers by itself.
    await postgres.restart();
    const started = Date.now();
    let after = await call("POST", "/api/v1/jobs", { prompt: "a yellow star" });
    while (after.status !== 202 && Date.now() - started < 20_000) {
      expect(after.status, after.text).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await call("POST", "/api/v1/jobs", { prompt: "a yellow star" });
    }
    expect(after.status, after.text).toBe(202);
    expect((await call("GET", `/api/v1/jobs/${before.json.id}`)).status).toBe(200);
    expect((await call("GET", "/api/v1/images")).status).toBe(200);

    // Nothing half-written: accepted jobs exist, each job has exactly one hold, each hold its job.
    const accepted = [before, after, ...racing.filter((answer) => answer.status === 202)].map((answer) => answer.json.id);
    const { db, userId } = postgres;
    const rows = await db.job.findMany({ where: { userId }, select: { id: true } });
    expect(rows.map((row) => row.id)).toEqual(expect.arrayContaining(accepted));
    expect(rows.length).toBeLessThanOrEqual(2 + racing.length);
    const holds = await db.ledgerEntry.findMany({ where: { userId, kind: "hold" }, select: { jobId: true } });
    expect(holds.map((hold) => hold.jobId).sort()).toEqual(rows.map((row) => row.id).sort());
    await expectLedgerInvariants(db);
  }, 90_000);
});
