import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createRedis } from "@/lib/redis";
import { returnTeamPoolHolds } from "@/lib/server/account-deletion";
import { grantTeamFastTime } from "@/lib/server/accounting/ledger";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { seedUser } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * Team pools (docs/teams.md) through the real accept path and a real worker:
 * members draw from the team's pool first and from their own time after it,
 * and 50 members submitting at once never overdraw the pool.
 */
const db = createDb(inject("databaseUrl"), { max: 10 });
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-team-pool`;
const context = createTestJobContext(db, redis, prefix);
const PROMPT = "a small red circle --draft";
let storageDir = "";
let worker: ChildProcess | undefined;

async function principal(userId: string): Promise<Principal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return { userId, email: user.email, role: "user", via: "token" };
}

/** A team on a plan of `fastMs`, with `size` new members (the first its owner). */
async function newTeam(fastMs: bigint, size: number) {
  const suffix = randomBytes(4).toString("hex");
  const plan = await db.plan.create({
    data: { name: `Team pool ${suffix}`, fastMsPerMonth: fastMs, concurrentJobs: 1, queuedJobs: 12, relaxAllowed: true, maxRepeat: 4, priceUsdPerMonth: 0 },
  });
  const team = await db.team.create({ data: { name: `Team ${suffix}`, planId: plan.id } });
  const members = await Promise.all(Array.from({ length: size }, () => seedUser(db)));
  await db.teamMember.createMany({ data: members.map((member, index) => ({ userId: member.id, teamId: team.id, role: index === 0 ? "owner" : "member" })) });
  return { team, members: await Promise.all(members.map((member) => principal(member.id))) };
}

async function holdOf(jobId: string) {
  return db.ledgerEntry.findUnique({ where: { jobId_kind: { jobId, kind: "hold" } }, select: { amountMs: true, teamId: true } });
}

async function finished(userId: string, jobId: string) {
  return waitFor(async () => {
    const job = await getJobForUser(db, userId, jobId);
    return ["completed", "failed", "cancelled"].includes(job.status) ? job : undefined;
  }, 240_000, `job ${jobId}`);
}

/** What one job of PROMPT reserves now: a job of a user in no team, cancelled at once. */
async function holdOfOneJob(): Promise<bigint> {
  const probe = await principal((await seedUser(db)).id);
  const job = await createImagineJobs(context, probe, { prompt: PROMPT });
  const hold = await holdOf(job.id);
  await cancelJob(context, probe.userId, job.id);
  expect(hold?.teamId).toBeNull();
  return hold!.amountMs;
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-team-pool-"));
  await seedUser(db); // seeds the plans
});

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("team pools", () => {
  it("50 members submitting at once: the pool funds what fits and never overdraws; the rest come from each member's own time", async () => {
    const perJob = await holdOfOneJob();
    // Room for 10 jobs and a half: the 11th must not squeeze in.
    const { team, members } = await newTeam(perJob * 10n + perJob / 2n, 50);
    const submitted = await Promise.all(members.map((member) => createImagineJobs(context, member, { prompt: PROMPT }).then((job) => ({ member, job }))));
    const holds = await Promise.all(submitted.map(({ job }) => holdOf(job.id)));
    expect(holds.filter((hold) => hold?.teamId === team.id)).toHaveLength(10);
    expect(holds.filter((hold) => hold?.teamId === null)).toHaveLength(40);
    const pool = await db.teamPool.findUniqueOrThrow({ where: { teamId: team.id } });
    expect(pool.heldMs).toBe(perJob * 10n);
    expect(pool.allowanceMs - pool.heldMs - pool.usedMs).toBeGreaterThanOrEqual(0n);
    // A member whose job the pool funded reserved none of their own time.
    const funded = submitted[holds.findIndex((hold) => hold?.teamId === team.id)]!;
    expect((await db.usageAccount.findUniqueOrThrow({ where: { userId: funded.member.userId } })).heldMs).toBe(0n);
    await expectLedgerInvariants(db);

    worker = startWorker({ prefix, storageDir, workerId: "team-pool-worker" });
    const jobs = await Promise.all(submitted.map(({ member, job }) => finished(member.userId, job.id)));
    for (const job of jobs) expect(job.status, job.error ?? "").toBe("completed");
    const settled = await db.ledgerEntry.aggregate({ where: { teamId: team.id, kind: "settle" }, _sum: { amountMs: true }, _count: true });
    expect(settled._count).toBe(10);
    const after = await db.teamPool.findUniqueOrThrow({ where: { teamId: team.id } });
    expect(after.heldMs).toBe(0n);
    expect(after.usedMs).toBe(settled._sum.amountMs);
    // The worker's reconcile sweep also runs jobs other test files left queued in the shared
    // database; stopped (it finishes or requeues what it runs), nothing is left running.
    await stopWorker(worker);
    worker = undefined;
    await expectLedgerInvariants(db);
  }, 300_000);

  it("a cancelled job's reservation goes back to the pool; a grant to the team makes room for more", async () => {
    const perJob = await holdOfOneJob();
    const { team, members } = await newTeam(perJob + perJob / 2n, 1);
    const [owner] = members;
    const first = await createImagineJobs(context, owner!, { prompt: PROMPT });
    expect((await holdOf(first.id))?.teamId).toBe(team.id);
    // The pool is spent: the next job is the member's own.
    const second = await createImagineJobs(context, owner!, { prompt: PROMPT });
    expect((await holdOf(second.id))?.teamId).toBeNull();
    await cancelJob(context, owner!.userId, first.id);
    expect((await db.teamPool.findUniqueOrThrow({ where: { teamId: team.id } })).heldMs).toBe(0n);
    const third = await createImagineJobs(context, owner!, { prompt: PROMPT });
    expect((await holdOf(third.id))?.teamId).toBe(team.id);
    await db.$transaction((tx) => grantTeamFastTime(tx, { teamId: team.id, amountMs: perJob * 2n, actorId: owner!.userId, note: "test" }));
    const fourth = await createImagineJobs(context, owner!, { prompt: PROMPT });
    expect((await holdOf(fourth.id))?.teamId).toBe(team.id);
    await Promise.all([second, third, fourth].map((job) => cancelJob(context, owner!.userId, job.id)));
    await expectLedgerInvariants(db);
  });

  it("a member who deletes their account gives back what their unfinished jobs held on the pool; what they used stays used", async () => {
    const perJob = await holdOfOneJob();
    const { team, members } = await newTeam(perJob * 3n, 2);
    const [leaver, stayer] = members;
    const queued = await createImagineJobs(context, leaver!, { prompt: PROMPT });
    expect((await holdOf(queued.id))?.teamId).toBe(team.id);
    await returnTeamPoolHolds(db, leaver!.userId);
    await db.user.delete({ where: { id: leaver!.userId } });
    const pool = await db.teamPool.findUniqueOrThrow({ where: { teamId: team.id } });
    expect(pool.heldMs).toBe(0n);
    // The room is there for the member who stayed.
    const next = await createImagineJobs(context, stayer!, { prompt: PROMPT });
    expect((await holdOf(next.id))?.teamId).toBe(team.id);
    await cancelJob(context, stayer!.userId, next.id);
    await expectLedgerInvariants(db);
  });
});
