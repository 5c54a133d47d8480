import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createLogger } from "@/lib/log";
import { UNLOCK_THRESHOLD, cosine, createRng, type TChoice } from "@/lib/personalization";
import { parsePrompt } from "@/lib/prompt";
import { createRedis } from "@/lib/redis";
import type { JobContext } from "@/lib/server/jobs/context";
import { modelStyle } from "@/lib/server/personalization/axes";
import { planPool, poolStorageKey } from "@/lib/server/personalization/pool";
import { answerPair, getProfile, nextPairs, resolveJobPersonalization, setEnabled } from "@/lib/server/personalization/service";
import { seedUser, testDb } from "../support/db";
import { median } from "../support/personalization-simulation";

/**
 * Personalization through the real service functions (Postgres + Redis):
 * synthetic users with hidden tastes rank pairs offered by the server, the
 * gate opens at exactly 200 non-skip answers, the fitted profile recovers the
 * hidden taste, and `--p` resolves codes (blends, unknown codes) for jobs.
 * The pool rows are the real plan for models/mirage-tiny; their files are not
 * needed here (the worker test renders real images).
 */
const MODEL = `mirage-tiny`;
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-personalize`;
const context: JobContext = {
  db,
  queue: createGpuQueues(redis, prefix),
  modelsDir: "models",
  defaultModelId: MODEL,
  log: createLogger("test", "silent"),
  redis,
  redisPrefix: prefix,
};
const styles = new Map<string, number[]>();
let axisCount = 0;

beforeAll(async () => {
  const style = await modelStyle("models", MODEL);
  axisCount = style.axes.length;
  const plan = planPool(style.axes, style.subjects);
  await db.poolImage.deleteMany({ where: { modelId: MODEL } });
  await db.poolImage.createMany({
    data: plan.map((image) => ({
      modelId: MODEL,
      groupId: image.groupId,
      prompt: image.prompt,
      seed: BigInt(image.seed),
      style: image.style,
      storageKey: poolStorageKey(MODEL, image.groupId, image.index),
      width: 128,
      height: 128,
    })),
  });
  for (const row of await db.poolImage.findMany({ where: { modelId: MODEL }, select: { id: true, style: true } })) styles.set(row.id, row.style);
});

afterAll(async () => {
  await context.queue.close();
  await redis.quit();
  await db.$disconnect();
});

/** Hidden taste: P(left) = σ(w*ᵀ(L − R)); skips near-ties half the time. */
function syntheticAnswer(weights: readonly number[], leftId: string, rightId: string, rng: () => number): TChoice {
  const left = styles.get(leftId)!;
  const right = styles.get(rightId)!;
  const u = weights.reduce((sum, w, k) => sum + w * (left[k]! - right[k]!), 0);
  if (Math.abs(u) < 0.3 && rng() < 0.5) return "skip";
  return rng() < 1 / (1 + Math.exp(-u)) ? "left" : "right";
}

/** Answers `count` non-skip pairs through nextPairs/answerPair (skips come on top). */
async function rank(userId: string, weights: readonly number[], count: number, seed: number) {
  const rng = createRng(seed);
  let ranked = 0;
  let skips = 0;
  let last: Awaited<ReturnType<typeof answerPair>> | undefined;
  while (ranked < count) {
    const pair = await nextPairs(context, userId);
    expect(pair.left.id).not.toBe(pair.right.id);
    const choice = syntheticAnswer(weights, pair.left.id, pair.right.id, rng);
    last = await answerPair(context, userId, pair.pairId, { choice, latencyMs: 800 });
    if (choice === "skip") skips++;
    else ranked++;
  }
  return { last: last!, skips };
}

describe("personalization service", () => {
  it("unlocks at exactly 200 non-skip answers; skips never count; the profile recovers the hidden taste", async () => {
    const user = await seedUser(db);
    // Prefers dark (brightness −), muted (saturation −) and outlines (+); neutral elsewhere.
    const hidden = new Array<number>(axisCount).fill(0);
    hidden[0] = -2.5;
    hidden[2] = -3;
    hidden[3] = 2.5;

    const before = await rank(user.id, hidden, UNLOCK_THRESHOLD - 1, 7);
    expect(before.last.progress.ranked).toBe(UNLOCK_THRESHOLD - 1);
    expect(before.last.unlocked).toBe(false);
    expect(before.last.code).toBeNull();
    expect(await db.profileVersion.count({ where: { userId: user.id } })).toBe(0);

    // A skip at 199: still locked, nothing stored.
    const pair = await nextPairs(context, user.id);
    const skipped = await answerPair(context, user.id, pair.pairId, { choice: "skip" });
    expect(skipped.progress.ranked).toBe(UNLOCK_THRESHOLD - 1);
    expect(skipped.progress.skipped).toBe(before.skips + 1);
    expect(skipped.unlocked).toBe(false);
    expect(await db.profileVersion.count({ where: { userId: user.id } })).toBe(0);

    // The 200th real answer unlocks, with a code.
    const next = await nextPairs(context, user.id);
    const unlocked = await answerPair(context, user.id, next.pairId, { choice: syntheticAnswer(hidden, next.left.id, next.right.id, createRng(1)) === "right" ? "right" : "left" });
    expect(unlocked.progress.ranked).toBe(UNLOCK_THRESHOLD);
    expect(unlocked.unlocked).toBe(true);
    expect(unlocked.unlockedNow).toBe(true);
    expect(unlocked.code).toMatch(/^[a-z0-9]{8}$/);
    const version = await db.profileVersion.findUniqueOrThrow({ where: { code: unlocked.code! } });
    expect(version.answers).toBe(UNLOCK_THRESHOLD);
    expect(version.skips).toBe(before.skips + 1);
    for (const k of [0, 2, 3]) expect(Math.sign(version.weights[k]!), `axis ${k}`).toBe(Math.sign(hidden[k]!));
    expect(cosine(version.weights, hidden)).toBeGreaterThan(0.9);
    expect(version.metrics).toMatchObject({ answerCount: UNLOCK_THRESHOLD });

    // A skip after unlock makes no new version; another answer does (immutable versions, new code).
    const afterSkip = await answerPair(context, user.id, (await nextPairs(context, user.id)).pairId, { choice: "skip" });
    expect(afterSkip.code).toBe(unlocked.code);
    const more = await answerPair(context, user.id, (await nextPairs(context, user.id)).pairId, { choice: "left" });
    expect(more.unlockedNow).toBe(false);
    expect(more.code).not.toBe(unlocked.code);
    expect((await db.profileVersion.findUniqueOrThrow({ where: { code: unlocked.code! } })).weights).toEqual(version.weights);

    // --p resolution for jobs.
    const recipe = (prompt: string) => {
      const parsed = parsePrompt(prompt, { maxRepeat: 4 });
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.recipe;
    };
    const latest = await resolveJobPersonalization(context, user.id, MODEL, recipe("a boat --p"));
    expect(latest?.codes).toEqual([more.code]);
    const byCode = await resolveJobPersonalization(context, user.id, MODEL, recipe(`a boat --p ${unlocked.code} --s 1000`));
    expect(byCode?.codes).toEqual([unlocked.code]);
    expect(byCode?.lambda).toBeCloseTo(1, 10);
    // Personalization is on by default after unlock…
    expect((await resolveJobPersonalization(context, user.id, MODEL, recipe("a boat")))?.codes).toEqual([more.code]);
    // …--s 0 gives exactly zero coefficients…
    const zero = await resolveJobPersonalization(context, user.id, MODEL, recipe("a boat --s 0"));
    expect(zero?.axes.every((axis) => Object.is(axis.coefficient, 0))).toBe(true);
    // …and the toggle turns it off (an explicit --p still works).
    expect((await setEnabled(context, user.id, false)).enabled).toBe(false);
    expect(await resolveJobPersonalization(context, user.id, MODEL, recipe("a boat"))).toBeNull();
    expect((await resolveJobPersonalization(context, user.id, MODEL, recipe("a boat --p")))?.codes).toEqual([more.code]);
    await setEnabled(context, user.id, true);

    // Another user can use (and blend) these codes; unknown codes are a 400 naming them.
    const other = await seedUser(db);
    const blend = await resolveJobPersonalization(context, other.id, MODEL, recipe(`a boat --p ${unlocked.code} ${more.code}`));
    expect(blend?.codes).toEqual([unlocked.code, more.code]);
    await expect(resolveJobPersonalization(context, other.id, MODEL, recipe("a boat --p zzzz9999"))).rejects.toSatisfy(
      (error: unknown) => error instanceof AppError && error.status === 400 && error.message.includes("zzzz9999"),
    );
    // A user without a profile: `--p` is a 400, no `--p` is unpersonalized.
    await expect(resolveJobPersonalization(context, other.id, MODEL, recipe("a boat --p"))).rejects.toBeInstanceOf(AppError);
    expect(await resolveJobPersonalization(context, other.id, MODEL, recipe("a boat"))).toBeNull();
    expect((await getProfile(context, other.id)).unlocked).toBe(false);
  }, 240_000);

  it("accepts only offered pairs, once", async () => {
    const user = await seedUser(db);
    const pair = await nextPairs(context, user.id);
    expect(pair.prefetch).not.toBeNull();
    expect(pair.prefetch!.pairId).not.toBe(pair.pairId);
    const [leftId, rightId] = pair.pairId.split("~");
    const status = (error: unknown) => (error instanceof AppError ? error.status : 0);
    // The reversed orientation was never offered.
    await expect(answerPair(context, user.id, `${rightId}~${leftId}`, { choice: "left" }).catch(status)).resolves.toBe(409);
    await expect(answerPair(context, user.id, "not-a-pair", { choice: "left" }).catch(status)).resolves.toBe(400);
    // Another user cannot answer it.
    const other = await seedUser(db);
    await expect(answerPair(context, other.id, pair.pairId, { choice: "left" }).catch(status)).resolves.toBe(409);
    const first = await answerPair(context, user.id, pair.pairId, { choice: "right" });
    expect(first.progress.ranked).toBe(1);
    await expect(answerPair(context, user.id, pair.pairId, { choice: "right" }).catch(status)).resolves.toBe(409);
    // The prefetched pair stays answerable and is not offered again as the next pair.
    const again = await nextPairs(context, user.id);
    expect([again.pairId, again.prefetch?.pairId]).not.toContain(pair.prefetch!.pairId);
    expect((await answerPair(context, user.id, pair.prefetch!.pairId, { choice: "left" })).progress.ranked).toBe(2);
  });

  it("recovers hidden tastes of synthetic users ranking through the service (median cosine ≥ 0.90)", async () => {
    const users = 6;
    const cosines: number[] = [];
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        const rng = createRng(100 + u);
        // A random direction with utility scale ≈ 2–3 on the pool's pairs.
        const hidden = Array.from({ length: axisCount }, () => (rng() - 0.5) * 5);
        const user = await seedUser(db);
        const { last } = await rank(user.id, hidden, UNLOCK_THRESHOLD, 1_000 + u);
        expect(last.unlocked).toBe(true);
        cosines.push(cosine(last.weights!, hidden));
      }),
    );
    expect(median(cosines), `cosines ${cosines.map((c) => c.toFixed(3)).join(", ")}`).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
