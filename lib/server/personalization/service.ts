import { randomInt } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import {
  UNLOCK_THRESHOLD,
  blendProfiles,
  createRng,
  fitProfile,
  profileCode,
  profileMetrics,
  rankedCount,
  selectNextPair,
  styleSteering,
  type TAnswer,
  type TChoice,
  type TPairKind,
  type TPairSelection,
} from "@/lib/personalization";
import type { TPromptRecipe } from "@/lib/prompt";
import type { JobContext } from "@/lib/server/jobs/context";
import { styleVectorAsWeights } from "@/lib/references/style";
import { moodboardProfiles } from "@/lib/server/references/moodboards";
import { pinnedHouseStyle, teamStyleProfiles } from "@/lib/server/teams/house-style";
import { modelStyle, type TStyleAxis } from "./axes";
import { enqueuePoolJob, pairIdOf, poolCandidates, unorderedKey, type TPoolImageRow } from "./pool";

/**
 * Personalization use cases (the API routes are thin wrappers over these):
 * next pair, answer, profile, toggle, and resolving `--p` for a job. Answers
 * live in Postgres; the pairs offered to a user (and why they were chosen)
 * live in Redis for a day, so only an offered pair can be answered, once.
 */
export type TPersonalizationContext = JobContext;

const CHOICE_CODE: Record<TChoice, number> = { left: 1, right: 2, skip: 3 };
const CODE_CHOICE: Record<number, TChoice> = { 1: "left", 2: "right", 3: "skip" };
const PAIR_KINDS: readonly TPairKind[] = ["probe", "active", "heldout", "retest", "random"];
const OFFER_TTL_SECONDS = 24 * 3600;
/** Offers older than this no longer block a pair from being chosen again (an abandoned page). */
const OUTSTANDING_MS = 10 * 60_000;
const PAIR_ID = /^([0-9a-f-]{36})~([0-9a-f-]{36})$/;

function offersKey(context: TPersonalizationContext, userId: string, modelId: string): string {
  return `${context.redisPrefix}:personalize:offers:${userId}:${modelId}`;
}

export function imageUrl(id: string): string {
  return `/api/v1/personalization/images/${id}`;
}

async function answersOf(context: TPersonalizationContext, userId: string, modelId: string): Promise<TAnswer[]> {
  const rows = await context.db.pairAnswer.findMany({
    where: { userId, modelId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { leftId: true, rightId: true, choice: true, kind: true, left: { select: { style: true, groupId: true } }, right: { select: { style: true } } },
  });
  return rows.map((row) => ({
    pairId: unorderedKey(row.leftId, row.rightId),
    left: row.left.style,
    right: row.right.style,
    choice: CODE_CHOICE[row.choice] ?? "skip",
    kind: PAIR_KINDS.includes(row.kind as TPairKind) ? (row.kind as TPairKind) : "active",
    groupId: String(row.left.groupId),
  }));
}

function progressOf(answers: readonly TAnswer[]) {
  return { ranked: rankedCount(answers), required: UNLOCK_THRESHOLD, skipped: answers.length - rankedCount(answers) };
}

async function latestVersion(context: TPersonalizationContext, userId: string, modelId: string) {
  return context.db.profileVersion.findFirst({ where: { userId, modelId }, orderBy: { id: "desc" } });
}

// ───────────────────────────── profile ─────────────────────────────

/** The profile view; `known` = the user's answers when the caller has just read them (saves a query per answer). */
export async function getProfile(context: TPersonalizationContext, userId: string, modelId = context.defaultModelId, known?: readonly TAnswer[]) {
  const [user, answers, version, style] = await Promise.all([
    context.db.user.findUnique({ where: { id: userId }, select: { personalize: true } }),
    known ?? answersOf(context, userId, modelId),
    latestVersion(context, userId, modelId),
    modelStyle(context.modelsDir, modelId).catch(() => null),
  ]);
  const progress = progressOf(answers);
  return {
    model: modelId,
    unlocked: progress.ranked >= UNLOCK_THRESHOLD && version !== null,
    enabled: user?.personalize ?? true,
    code: version?.code ?? null,
    version: version?.id ?? null,
    metrics: (version?.metrics as Record<string, unknown> | undefined) ?? null,
    weights: version?.weights ?? null,
    axes: style?.axes.map((axis) => ({ id: axis.id, negative: axis.negative, positive: axis.positive })) ?? [],
    progress,
  };
}

export async function setEnabled(context: TPersonalizationContext, userId: string, enabled: boolean) {
  await context.db.user.update({ where: { id: userId }, data: { personalize: enabled } });
  return getProfile(context, userId);
}

// ───────────────────────────── pairs ─────────────────────────────

function presentPair(selection: TPairSelection, images: Map<string, TPoolImageRow>) {
  const [a, b] = selection.pairId.split("~") as [string, string];
  // The candidate's orientation is (a, b); `swapped` means it is shown as (b, a).
  const [leftId, rightId] = selection.swapped ? [b, a] : [a, b];
  if (!images.has(leftId) || !images.has(rightId)) throw new Error(`pool image of pair ${selection.pairId} vanished`);
  return {
    pairId: pairIdOf(leftId, rightId),
    kind: selection.kind,
    left: { id: leftId, url: imageUrl(leftId) },
    right: { id: rightId, url: imageUrl(rightId) },
  };
}

export type TOfferedPair = ReturnType<typeof presentPair>;

/**
 * The next pair to rank and one more to prefetch, chosen server-side from the
 * user's answers (probe → active with audits and retests). Both are recorded
 * as offered; pairs offered in the last minutes and not yet answered are not
 * chosen again, so a prefetched pair is never repeated.
 */
export async function nextPairs(context: TPersonalizationContext, userId: string, modelId = context.defaultModelId) {
  const { candidates, images } = await poolCandidates(context.db, modelId);
  if (candidates.length === 0) {
    await enqueuePoolJob(context.queue, modelId).catch((error: unknown) => context.log.warn({ err: error }, "could not queue the ranking pool"));
    throw new AppError("UNAVAILABLE", `The ranking pool for ${modelId} is being rendered by a worker; try again in a minute.`, { retryAfterSeconds: 30 });
  }
  const answers = await answersOf(context, userId, modelId);
  const key = offersKey(context, userId, modelId);
  const offered = await context.redis.hgetall(key);
  const now = Date.now();
  const answeredKeys = new Set(answers.map((answer) => answer.pairId));
  // Outstanding offers are never offered twice, but only answers move the schedule (see TSelectionState.pending).
  const pending: TAnswer[] = [];
  for (const [pairId, value] of Object.entries(offered)) {
    const [kind, at] = value.split(":");
    const match = PAIR_ID.exec(pairId);
    if (!match || now - Number(at) > OUTSTANDING_MS) continue;
    const left = images.get(match[1]!);
    const right = images.get(match[2]!);
    // An answered offer is deleted from the hash; this only guards a crash between the two writes.
    // A retest re-offers an answered pair on purpose, so it stays pending (and counts as a retest made).
    if (!left || !right || (kind !== "retest" && answeredKeys.has(unorderedKey(left.id, right.id)))) continue;
    pending.push({ pairId: unorderedKey(left.id, right.id), left: left.style, right: right.style, choice: "skip", kind: (kind as TPairKind) ?? "active", groupId: String(left.groupId) });
  }
  const fit = answers.length > 0 ? fitProfile(answers) : undefined;
  const rng = createRng(randomInt(0, 2 ** 31 - 1));
  const first = selectNextPair({ answers, pending, ...(fit && { fit }) }, candidates, rng);
  // The prefetch is chosen for the position after `first`, as if `first` had been shown (a skip changes no fit).
  // It is never a retest: the ranking screen drops the prefetch when it already holds a pair, and a dropped
  // retest would count as made (pending retests do) and never be answered. A due retest comes as the next `first`.
  const firstAsShown: TAnswer = { pairId: first.pairId, left: first.left, right: first.right, choice: "skip", kind: first.kind, ...(first.groupId && { groupId: first.groupId }) };
  const second = selectNextPair({ answers: [...answers, firstAsShown], pending, ...(fit && { fit }) }, candidates, rng, { retestCount: 0 });
  const pair = presentPair(first, images);
  const prefetch = second.pairId === first.pairId ? null : presentPair(second, images);
  const stamp = String(now);
  const fields: Record<string, string> = { [pair.pairId]: `${pair.kind}:${stamp}` };
  if (prefetch) fields[prefetch.pairId] = `${prefetch.kind}:${stamp}`;
  await context.redis.multi().hset(key, fields).expire(key, OFFER_TTL_SECONDS).exec();
  return { ...pair, progress: progressOf(answers), prefetch };
}

/**
 * Records the user's choice on an offered pair (as shown: left/right/skip),
 * refits, and from the 200th non-skip answer on stores a new immutable
 * profile version with its own code after every non-skip answer (a skip
 * changes nothing, so it makes no version).
 */
export async function answerPair(
  context: TPersonalizationContext,
  userId: string,
  pairId: string,
  input: { choice: TChoice; latencyMs?: number | undefined },
  modelId = context.defaultModelId,
) {
  const match = PAIR_ID.exec(pairId);
  if (!match) throw new AppError("BAD_REQUEST", "A pair id is `leftImageId~rightImageId` as returned by GET /api/v1/personalization/pairs/next.");
  const [, leftId, rightId] = match as unknown as [string, string, string];
  const key = offersKey(context, userId, modelId);
  const offer = await context.redis.hget(key, pairId);
  if (!offer) throw new AppError("CONFLICT", "This pair was not offered to you, or it was already answered. Fetch the next pair with GET /api/v1/personalization/pairs/next.");
  const kindText = offer.split(":")[0] as TPairKind;
  const kind: TPairKind = PAIR_KINDS.includes(kindText) ? kindText : "active";
  const [left, right] = await Promise.all([
    context.db.poolImage.findUnique({ where: { id: leftId }, select: { id: true, modelId: true, groupId: true } }),
    context.db.poolImage.findUnique({ where: { id: rightId }, select: { id: true, modelId: true, groupId: true } }),
  ]);
  if (!left || !right || left.modelId !== modelId || right.modelId !== modelId || left.groupId !== right.groupId || left.id === right.id) {
    await context.redis.hdel(key, pairId);
    throw new AppError("CONFLICT", "This pair is no longer in the ranking pool. Fetch the next pair with GET /api/v1/personalization/pairs/next.");
  }
  // HDEL is the claim: of two concurrent answers to one offer, one wins.
  if ((await context.redis.hdel(key, pairId)) !== 1) {
    throw new AppError("CONFLICT", "This pair was already answered. Fetch the next pair with GET /api/v1/personalization/pairs/next.");
  }
  await context.db.pairAnswer.create({
    data: { userId, modelId, leftId, rightId, choice: CHOICE_CODE[input.choice], kind, latencyMs: input.latencyMs ?? null },
  });
  const answers = await answersOf(context, userId, modelId);
  const progress = progressOf(answers);
  let created: { code: string; version: number } | null = null;
  if (input.choice !== "skip" && progress.ranked >= UNLOCK_THRESHOLD) {
    created = await storeVersion(context, userId, modelId, answers);
  }
  const profile = await getProfile(context, userId, modelId, answers);
  return { ...profile, unlockedNow: created !== null && progress.ranked === UNLOCK_THRESHOLD, created };
}

/** Fits the answers and stores them as a new immutable version with a fresh code. */
async function storeVersion(context: TPersonalizationContext, userId: string, modelId: string, answers: readonly TAnswer[]) {
  const fit = fitProfile(answers);
  const metrics = profileMetrics(answers, fit);
  const ranked = rankedCount(answers);
  // Only the weights' block of Σ (the bias is a UI artefact, never used to generate).
  const k = fit.weights.length;
  const covariance: number[] = [];
  for (let i = 1; i <= k; i++) for (let j = 1; j <= k; j++) covariance.push(fit.covariance[i]![j]!);
  for (let attempt = 0; attempt < 8; attempt++) {
    const code = profileCode(`${userId}:${modelId}`, ranked, attempt);
    try {
      const row = await context.db.profileVersion.create({
        data: {
          code,
          userId,
          modelId,
          weights: fit.weights,
          bias: fit.bias,
          covariance,
          answers: ranked,
          skips: answers.length - ranked,
          metrics: JSON.parse(JSON.stringify(metrics)) as Prisma.InputJsonValue,
        },
        select: { id: true, code: true },
      });
      return { code: row.code, version: row.id };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
  throw new Error("could not find a free profile code");
}

// ───────────────────────────── jobs ─────────────────────────────

export interface TJobPersonalization {
  /** The concrete profile codes used (what `--p` resolved to). */
  codes: string[];
  /** Blend weights, one per code (`--p a::2 b::1`); absent for an equal blend. */
  weights?: number[];
  stylize: number;
  /** λ(--s). */
  lambda: number;
  /** Per axis: phrases, the blended preference v_k and the coefficient λ·v_k applied to the conditioning. */
  axes: { id: string; negative: string; positive: string; preference: number; coefficient: number }[];
}

/**
 * What personalization a new imagine job gets: `--p CODE…` → those profiles
 * (any user's, blended); `--p` → the pinned house style of the user's team
 * for this model, else the user's latest profile; no `--p` → the
 * latest profile when the user has one and has personalization on. Unknown
 * codes are a 400 naming them. Returns null for an unpersonalized job.
 */
export async function resolveJobPersonalization(
  context: TPersonalizationContext,
  userId: string,
  modelId: string,
  recipe: Pick<TPromptRecipe, "personalize" | "stylize">,
): Promise<TJobPersonalization | null> {
  const { enabled, codes } = recipe.personalize;
  const blendWeights = enabled && codes.length > 0 ? recipe.personalize.weights : undefined;
  // `--p` alone is the team's pinned house style for this model, when the user's team has one (docs/teams.md, House style).
  const house = enabled && codes.length === 0 ? await pinnedHouseStyle(context.db, userId, modelId) : null;
  let versions: { code: string; weights: number[]; covariance: number[]; modelId: string }[];
  if (enabled && codes.length > 0) {
    const unique = [...new Set(codes)];
    const rows = await context.db.profileVersion.findMany({ where: { code: { in: unique } }, select: { code: true, weights: true, covariance: true, modelId: true } });
    const byCode = new Map(rows.map((row) => [row.code, row]));
    // A code that is no profile may be a moodboard's: its mean style is a profile (docs/references.md §5).
    for (const board of await moodboardProfiles(context.db, unique.filter((code) => !byCode.has(code)))) {
      if (!board.style) throw new AppError("BAD_REQUEST", `Moodboard "${board.name}" (${board.code}) has no images yet; add some at /personalize.`);
      byCode.set(board.code, { code: board.code, weights: styleVectorAsWeights(board.style), covariance: board.style.flatMap(() => board.style!.map(() => 0)), modelId: board.modelId });
    }
    // Then a team's house style, for its members and admins (docs/teams.md, House style).
    for (const style of await teamStyleProfiles(context.db, userId, modelId, unique.filter((code) => !byCode.has(code)))) byCode.set(style.code, style);
    const missing = unique.filter((code) => !byCode.has(code));
    if (missing.length > 0) {
      throw new AppError("BAD_REQUEST", `Unknown personalization code${missing.length > 1 ? "s" : ""} ${missing.map((code) => `"${code}"`).join(", ")}. Codes come from /personalize.`);
    }
    const foreign = rows.filter((row) => row.modelId !== modelId);
    if (foreign.length > 0) {
      throw new AppError("BAD_REQUEST", `Personalization code "${foreign[0]!.code}" was made for ${foreign[0]!.modelId}, not ${modelId}; pick that model or another code.`);
    }
    versions = codes.map((code) => byCode.get(code)!);
  } else if (house) {
    versions = [house];
  } else {
    const [user, latest] = await Promise.all([
      context.db.user.findUnique({ where: { id: userId }, select: { personalize: true } }),
      latestVersion(context, userId, modelId),
    ]);
    if (enabled && !latest) {
      throw new AppError("BAD_REQUEST", `--p needs a personalization profile for ${modelId}: rank ${UNLOCK_THRESHOLD} pairs at /personalize first, or name a code (--p CODE).`);
    }
    if (!latest || (!enabled && !user?.personalize)) return null;
    versions = [latest];
  }
  const style = await modelStyle(context.modelsDir, modelId);
  const k = style.axes.length;
  if (versions.some((version) => version.weights.length !== k)) {
    throw new AppError("BAD_REQUEST", `A personalization code does not match ${modelId}'s ${k} style axes (the model changed); rank again at /personalize.`);
  }
  const coefficients = blendWeights ?? versions.map(() => 1);
  const weights = blendProfiles(versions.map((version) => version.weights), coefficients);
  // Blend of Laplace posteriors with coefficients c: Σ = Σ_i c_i² Σ_i / (Σ_i c_i)².
  const total = coefficients.reduce((sum, c) => sum + c, 0);
  const weightSd = Array.from({ length: k }, (_, axis) =>
    Math.sqrt(versions.reduce((sum, version, i) => sum + coefficients[i]! ** 2 * (version.covariance[axis * k + axis] ?? 0), 0) / total ** 2),
  );
  const steering = styleSteering(weights, style.axes, recipe.stylize, { weightSd });
  return {
    codes: versions.map((version) => version.code),
    ...(blendWeights && { weights: [...blendWeights] }),
    stylize: recipe.stylize,
    lambda: steering.lambda,
    axes: style.axes.map((axis: TStyleAxis, i) => ({
      id: axis.id,
      negative: axis.negative,
      positive: axis.positive,
      preference: steering.preference[i]!,
      coefficient: steering.coefficients[i]!,
    })),
  };
}
