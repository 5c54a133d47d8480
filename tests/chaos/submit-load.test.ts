import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { planImagine } from "@/lib/server/jobs/create-imagine-jobs";
import { SUBMISSIONS_PER_MINUTE } from "@/lib/server/jobs/submit-limiter";
import { createApiToken } from "@/lib/server/tokens";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { percentile } from "../support/load";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { FIXTURE_MODEL } from "../support/worker-process";
import { openScenario, seedPrincipal, type Scenario } from "./harness";

/**
 * 1000 job submissions at once from 50 users with API tokens, over real HTTP
 * to the real /api/v1 route handlers: no 5xx and no dropped connection; every
 * refusal is a 4xx with a code and a message; each plan's cap on jobs in
 * progress (429 + Retry-After), fast-time quota (402) and Relax permission
 * (403) hold exactly; and the ledger matches the jobs that were accepted.
 *
 * No worker runs during the burst, so every accepted job stays in progress
 * and the cap arithmetic is exact (a worker finishing jobs mid-burst would
 * make "how many may be accepted" depend on timing). Draining all ~620
 * accepted jobs would take minutes on a 2-core CI box (~5 jobs/s at best;
 * the service-level accounting test already drains 1000), so a real worker
 * then runs a sample to show accepted jobs run and settle, and the rest are
 * cancelled through the cancel route, which must return every hold.
 * Then: fast time for exactly one job and 20 parallel submissions → one 202;
 * and one user's burst past the per-user submission rate limit → 429.
 * Wall time on a shared 2-core box: 25–40 s (the burst itself 7–14 s).
 */
const USERS = { standard: 40, basic: 5, broke: 5 } as const;
const PER_USER = 20;
const SAMPLE = 10;

type Group = keyof typeof USERS;
interface LoadUser {
  id: string;
  token: string;
  group: Group;
}
interface Answer {
  user: LoadUser;
  kind: "fast" | "relax" | "invalid";
  status: number;
  ms: number;
  id?: string;
  code?: string;
  message?: string;
  retryAfter: string | null;
  text: string;
}

let scenario: Scenario;
let server: RouteServer;
let worker: ChaosWorker | undefined;
const users: LoadUser[] = [];

beforeAll(async () => {
  scenario = await openScenario("submit");
  // A plan with Relax but no fast time: fast submissions must be refused with 402.
  const broke = await scenario.db.plan.upsert({
    where: { name: "LoadBroke" },
    create: { name: "LoadBroke", fastMsPerMonth: 0n, concurrentJobs: 3, queuedJobs: 10, relaxAllowed: true, maxRepeat: 1, priceUsdPerMonth: 0, sortOrder: 90 },
    update: {},
  });
  for (const group of Object.keys(USERS) as Group[]) {
    for (let n = 0; n < USERS[group]; n += 1) {
      const principal = await seedPrincipal(scenario.db, scenario);
      // Seeded users are on Standard (cap 3 running + 10 waiting, Relax allowed); Basic has no Relax.
      if (group === "basic") await scenario.db.user.update({ where: { id: principal.userId }, data: { plan: { connect: { name: "Basic" } } } });
      if (group === "broke") await scenario.db.user.update({ where: { id: principal.userId }, data: { planId: broke.id } });
      users.push({ id: principal.userId, token: (await createApiToken(scenario.db, principal.userId, "load")).token, group });
    }
  }
  server = await startRouteServer({ databaseUrl: scenario.databaseUrl, redisUrl: scenario.redisUrl, prefix: scenario.prefix, storageDir: scenario.storageDir });
}, 120_000);

afterAll(async () => {
  if (worker) await stopChaosWorker(worker, "SIGKILL");
  await server?.close();
  await scenario?.close();
});

/** What each user sends: Standard users a mix with one malformed body; Basic and LoadBroke half fast, half Relax. */
function requestsOf(user: LoadUser): Array<{ kind: Answer["kind"]; body: unknown }> {
  return Array.from({ length: PER_USER }, (_, n) => {
    if (user.group === "standard") {
      if (n === 0) return { kind: "invalid" as const, body: { prompt: 42 } };
      return n % 4 === 0 ? { kind: "relax" as const, body: { prompt: `a small blue circle ${n} --draft --relax` } } : { kind: "fast" as const, body: { prompt: `a small red circle ${n} --draft` } };
    }
    return n % 2 === 0 ? { kind: "relax" as const, body: { prompt: `a green square ${n} --draft --relax` } } : { kind: "fast" as const, body: { prompt: `a green square ${n} --draft` } };
  });
}

async function submit(user: LoadUser, kind: Answer["kind"], body: unknown): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}/api/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    const json = JSON.parse(text) as { id?: string; error?: { code?: string; message?: string } };
    return { user, kind, status: response.status, ms: performance.now() - started, id: json.id, code: json.error?.code, message: json.error?.message, retryAfter: response.headers.get("retry-after"), text };
  } catch (error) {
    // A dropped connection or a non-JSON body counts as a server failure (status 0).
    return { user, kind, status: 0, ms: performance.now() - started, retryAfter: null, text: String(error) };
  }
}

/** Cancels one of the user's jobs over HTTP with the user's token. */
async function cancel(user: LoadUser, jobId: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/jobs/${jobId}/cancel`, { method: "POST", headers: { authorization: `Bearer ${user.token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe("1000 concurrent job submissions from 50 users over HTTP", () => {
  it("never answers 5xx, enforces every cap exactly with a 4xx and a message, and keeps the ledger consistent", async () => {
    const started = performance.now();
    const answers = await Promise.all(users.flatMap((user) => requestsOf(user).map((request) => submit(user, request.kind, request.body))));
    const burstMs = performance.now() - started;
    const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
    const byStatus = answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});
    console.info(
      `submit burst: ${answers.length} requests in ${(burstMs / 1000).toFixed(1)} s (${((answers.length / burstMs) * 1000).toFixed(0)} req/s); ` +
        `latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${percentile(latencies, 100).toFixed(0)} ms; statuses ${JSON.stringify(byStatus)}`,
    );

    expect(answers).toHaveLength(1000);
    const broken = answers.filter((answer) => answer.status === 0 || answer.status >= 500);
    expect(broken.map((answer) => `${answer.status} ${answer.text.slice(0, 300)}`), "5xx or dropped connections").toEqual([]);
    // Every refusal is a 4xx that says why.
    for (const answer of answers.filter((candidate) => candidate.status !== 202)) {
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.code, answer.text).toMatch(/^[A-Z_]+$/);
      expect(answer.message?.length ?? 0, answer.text).toBeGreaterThan(10);
    }

    for (const user of users) {
      const mine = answers.filter((answer) => answer.user === user);
      const statuses = (kind: Answer["kind"]) => mine.filter((answer) => answer.kind === kind).map((answer) => answer.status).sort();
      const accepted = mine.filter((answer) => answer.status === 202);
      if (user.group === "standard") {
        // 19 valid submissions against a cap of 13 in progress: exactly 13 in, 6 refused with 429.
        expect(statuses("invalid")).toEqual([400]);
        expect(accepted).toHaveLength(13);
        const limited = mine.filter((answer) => answer.status === 429);
        expect(limited).toHaveLength(6);
        for (const answer of limited) {
          expect(answer.code).toBe("RATE_LIMITED");
          expect(answer.message).toMatch(/Standard plan allows 13 jobs in progress at once/);
          expect(answer.retryAfter).toBe("5");
        }
      } else if (user.group === "basic") {
        // Basic has no Relax (403 each time); its 10 fast jobs fit the cap.
        expect(statuses("relax")).toEqual(Array(10).fill(403));
        expect(mine.find((answer) => answer.status === 403)?.message).toMatch(/Relax mode is not part of the Basic plan/);
        expect(statuses("fast")).toEqual(Array(10).fill(202));
      } else {
        // No fast time left: every fast job is a 402 that points at Relax; Relax costs nothing and is accepted.
        expect(statuses("fast")).toEqual(Array(10).fill(402));
        expect(mine.find((answer) => answer.status === 402)?.message).toMatch(/Not enough fast time.*--relax/);
        expect(statuses("relax")).toEqual(Array(10).fill(202));
      }
      // What was answered 202 is exactly what is stored, and nothing refused left a row behind.
      const rows = await scenario.db.job.findMany({ where: { userId: user.id }, select: { id: true, mode: true, status: true } });
      expect(rows.map((row) => row.id).sort()).toEqual(accepted.map((answer) => answer.id).sort());
      expect(rows.every((row) => row.status === "queued")).toBe(true);
      // Each accepted fast job holds its estimate; Relax holds nothing.
      const holds = await scenario.db.ledgerEntry.findMany({ where: { userId: user.id, kind: "hold" }, select: { jobId: true } });
      expect(holds.map((hold) => hold.jobId).sort()).toEqual(rows.filter((row) => row.mode !== "relax").map((row) => row.id).sort());
    }
    const acceptedTotal = answers.filter((answer) => answer.status === 202).length;
    expect(acceptedTotal).toBe(USERS.standard * 13 + USERS.basic * 10 + USERS.broke * 10);
    // Open the fixture model's queue here: counts only cover queues this process has opened.
    scenario.context.queue.forModel(FIXTURE_MODEL);
    const queued = await scenario.context.queue.getJobCounts(["waiting", "prioritized"]);
    expect((queued.waiting ?? 0) + (queued.prioritized ?? 0), "every accepted job is in BullMQ").toBe(acceptedTotal);

    // A real worker runs a sample: accepted jobs are runnable and are settled once.
    const ids = users.map((user) => user.id);
    worker = startChaosWorker({ databaseUrl: scenario.databaseUrl, redisUrl: scenario.redisUrl, prefix: scenario.prefix, storageDir: scenario.storageDir, workerId: "submit-load-worker" });
    await worker.ready();
    const sampleStarted = performance.now();
    while ((await scenario.db.job.count({ where: { userId: { in: ids }, status: "completed" } })) < SAMPLE) {
      expect(performance.now() - sampleStarted, worker.output().slice(-3000)).toBeLessThan(90_000);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const sampleMs = performance.now() - sampleStarted;

    // The rest is cancelled through the API (8 at a time), a running one included.
    const cancelStarted = performance.now();
    const open = await scenario.db.job.findMany({ where: { userId: { in: ids }, status: { in: ["queued", "running"] } }, select: { id: true, userId: true } });
    const owner = new Map(users.map((user) => [user.id, user]));
    const cancelStatuses: number[] = [];
    for (let start = 0; start < open.length; start += 8) {
      const batch = open.slice(start, start + 8);
      cancelStatuses.push(...(await Promise.all(batch.map((row) => cancel(owner.get(row.userId)!, row.id)))));
    }
    // 409 only where the worker finished the job between the read and the cancel.
    expect(cancelStatuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    const cancelMs = performance.now() - cancelStarted;
    await stopChaosWorker(worker);
    worker = undefined;

    const final = await scenario.db.job.groupBy({ by: ["status"], where: { userId: { in: ids } }, _count: true });
    console.info(
      `sample: ${SAMPLE} jobs completed in ${(sampleMs / 1000).toFixed(1)} s; ${open.length} cancelled through the API in ${(cancelMs / 1000).toFixed(1)} s; ` +
        `final ${JSON.stringify(Object.fromEntries(final.map((row) => [row.status, row._count])))}`,
    );
    // Every hold was returned or settled: nothing is held any more.
    const held = await scenario.db.usageAccount.findMany({ where: { userId: { in: ids }, heldMs: { not: 0n } }, select: { userId: true, heldMs: true } });
    expect(held).toEqual([]);
    const cancelled = await scenario.db.job.findMany({ where: { userId: { in: ids }, status: "cancelled", mode: { not: "relax" } }, select: { id: true } });
    // A queued job's hold was returned; a running one was charged the GPU time it used.
    const ended = await scenario.db.ledgerEntry.count({ where: { jobId: { in: cancelled.map((row) => row.id) }, kind: { in: ["release", "settle"] } } });
    expect(ended).toBe(cancelled.length);
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: ids, queue: scenario.context.queue });
  }, 300_000);

  it("fast time for exactly one job and 20 parallel submissions: one is accepted, 19 get 402, nobody goes negative", async () => {
    const principal = await seedPrincipal(scenario.db, scenario);
    const prompt = "a small yellow star --draft";
    // The hold one such job takes now (no worker runs, so the estimate cannot move meanwhile).
    const { paramsWithSeed } = await planImagine(scenario.context, principal.userId, { prompt });
    const oneJobMs = await estimateGpuMs(scenario.db, paramsWithSeed(0));
    const plan = await scenario.db.plan.upsert({
      where: { name: "LoadOneJob" },
      create: { name: "LoadOneJob", fastMsPerMonth: BigInt(oneJobMs), concurrentJobs: 3, queuedJobs: 30, relaxAllowed: true, maxRepeat: 1, priceUsdPerMonth: 0, sortOrder: 91 },
      update: { fastMsPerMonth: BigInt(oneJobMs) },
    });
    await scenario.db.user.update({ where: { id: principal.userId }, data: { planId: plan.id } });
    const user: LoadUser = { id: principal.userId, token: (await createApiToken(scenario.db, principal.userId, "load")).token, group: "broke" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(user, "fast", { prompt })));
    expect(answers.map((answer) => answer.status).sort(), answers.map((answer) => answer.text).join("\n")).toEqual([202, ...Array(19).fill(402)]);
    const account = await scenario.db.usageAccount.findUniqueOrThrow({ where: { userId: user.id } });
    expect(account.heldMs).toBe(BigInt(oneJobMs));
    expect(account.allowanceMs + account.grantedMs - account.heldMs - account.usedMs).toBe(0n);
    const accepted = answers.find((answer) => answer.status === 202)!;
    expect(await cancel(user, accepted.id!)).toBe(200);
    // All users: the image folder also holds the other cases' images.
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: [...users.map((other) => other.id), user.id], queue: scenario.context.queue });
  }, 60_000);

  it(`a script submitting ${SUBMISSIONS_PER_MINUTE + 1} jobs at once is cut off by the per-user rate limit (429), with room in its plan`, async () => {
    const principal = await seedPrincipal(scenario.db, scenario);
    const plan = await scenario.db.plan.upsert({
      where: { name: "LoadWide" },
      create: { name: "LoadWide", fastMsPerMonth: 10n ** 12n, concurrentJobs: 3, queuedJobs: 200, relaxAllowed: true, maxRepeat: 1, priceUsdPerMonth: 0, sortOrder: 92 },
      update: {},
    });
    await scenario.db.user.update({ where: { id: principal.userId }, data: { planId: plan.id } });
    const user: LoadUser = { id: principal.userId, token: (await createApiToken(scenario.db, principal.userId, "load")).token, group: "standard" };
    const answers = await Promise.all(Array.from({ length: SUBMISSIONS_PER_MINUTE + 1 }, (_, n) => submit(user, "fast", { prompt: `a tiny red dot ${n} --draft` })));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(SUBMISSIONS_PER_MINUTE);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/Too many submissions: at most 60 a minute/) });
    expect(Number(limited[0]!.retryAfter)).toBeGreaterThan(0);
    for (const answer of answers.filter((candidate) => candidate.status === 202)) expect(await cancel(user, answer.id!)).toBe(200);
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: [...users.map((other) => other.id), user.id], queue: scenario.context.queue });
  }, 60_000);
});
