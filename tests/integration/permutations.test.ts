import { afterAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { estimatePrompt } from "@/lib/server/jobs/estimate-prompt";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import type { Principal } from "@/lib/server/principal";
import { seedUser, testDb } from "../support/db";
import { createTestJobContext } from "../support/worker-process";

/** Permutation prompts through the submission path: one job per combination, all or nothing. */
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const context = createTestJobContext(db, redis, `${inject("redisPrefix")}-permutations`);

async function principal(queuedJobs: number): Promise<Principal> {
  const user = await seedUser(db);
  const plan = await db.plan.upsert({
    where: { name: `Perm${queuedJobs}` },
    create: { name: `Perm${queuedJobs}`, fastMsPerMonth: 10n ** 9n, concurrentJobs: 1, queuedJobs, relaxAllowed: true, maxRepeat: 4, priceUsdPerMonth: 0, sortOrder: 85 },
    update: {},
  });
  await db.user.update({ where: { id: user.id }, data: { planId: plan.id } });
  return { userId: user.id, email: user.email, role: "user", via: "token" };
}

afterAll(async () => {
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
});

describe("permutation prompts", () => {
  it("make one job per combination and repeat, each with its own prompt and size", async () => {
    const user = await principal(20);
    const estimate = await estimatePrompt(context, user.userId, { prompt: "a {red, blue} circle --ar {1:1, 16:9} --draft" });
    expect(estimate.jobs).toBe(4);
    const created = await createImagineJobs(context, user, { prompt: "a {red, blue} circle --ar {1:1, 16:9} --draft" });
    expect(created.jobIds).toHaveLength(4);
    const rows = await db.job.findMany({ where: { id: { in: created.jobIds } }, orderBy: { createdAt: "asc" }, select: { prompt: true, params: true } });
    expect(rows.map((row) => row.prompt)).toEqual(["a red circle", "a red circle", "a blue circle", "a blue circle"]);
    const sizes = rows.map((row) => { const params = row.params as { width: number; height: number }; return params.width > params.height ? "wide" : "square"; });
    expect(sizes).toEqual(["square", "wide", "square", "wide"]);
    for (const id of created.jobIds) await cancelJob(context, user.userId, id);
  });

  it("write nothing when one combination is invalid, or when they exceed the plan's cap (429 naming it)", async () => {
    const user = await principal(2);
    const before = await db.job.count({ where: { userId: user.userId } });
    await expect(createImagineJobs(context, user, { prompt: "a cat --chaos {10, 500}" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/--chaos/) });
    await expect(createImagineJobs(context, user, { prompt: "a {red, blue, green, pink} cat" })).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/allows 3 jobs in progress/) });
    await expect(createImagineJobs(context, user, { prompt: "{a,b,c,d,e,f,g} {1,2,3,4,5,6,7} cat" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at most 40/) });
    expect(await db.job.count({ where: { userId: user.userId } })).toBe(before);
  });
});
