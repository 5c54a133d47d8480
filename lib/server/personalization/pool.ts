import type { Db } from "@/lib/db/client";
import { GPU_TASKS, MODE_PRIORITY, type GpuQueues, type TGpuJobData } from "@/lib/jobs/queue";
import type { TCandidatePair } from "@/lib/personalization";
import type { TStyleAxis } from "./axes";

/**
 * The ranking pool (docs/personalization.md §3): groups = subjects × seeds;
 * each group is one neutral image and sparse style variants of the same
 * subject and seed, so a pair from one group differs only in style. Variant
 * prompts are the subject plus the axes' phrases for the ±1 entries. Sized
 * for the CPU: mirage-tiny's 12 subjects × 2 seeds × 9 images = 216 draft
 * images (about a minute on two cores).
 */
export const POOL_JOB_NAME = GPU_TASKS.personalizationPool;
export const POOL_SEEDS_PER_SUBJECT = 2;
/** Neutral + variants per group (when the model has fewer axes than this − 1, two-axis variants fill up). */
export const POOL_GROUP_SIZE = 9;

export interface TPoolImagePlan {
  groupId: number;
  /** Index inside the group (0 = neutral). */
  index: number;
  subject: string;
  prompt: string;
  seed: number;
  style: number[];
}

function withPhrases(subject: string, style: readonly number[], axes: readonly TStyleAxis[]): string {
  const phrases = style.flatMap((value, k) => (value > 0 ? [axes[k]!.positive] : value < 0 ? [axes[k]!.negative] : []));
  return phrases.length > 0 ? `${subject}, ${phrases.join(", ")}` : subject;
}

/** Every image of the pool, deterministic for a model's axes and subjects. */
export function planPool(axes: readonly TStyleAxis[], subjects: readonly string[]): TPoolImagePlan[] {
  const k = axes.length;
  const images: TPoolImagePlan[] = [];
  subjects.forEach((subject, subjectIndex) => {
    for (let s = 0; s < POOL_SEEDS_PER_SUBJECT; s++) {
      const groupId = subjectIndex * POOL_SEEDS_PER_SUBJECT + s;
      const seed = 1_000 + 7_919 * s + 104_729 * subjectIndex;
      const styles: number[][] = [new Array<number>(k).fill(0)];
      // One single-axis variant per axis (sign alternating across groups, so each axis appears ± equally often)…
      for (let axis = 0; axis < k && styles.length < Math.max(POOL_GROUP_SIZE, k + 1); axis++) {
        const style = new Array<number>(k).fill(0);
        style[axis] = (groupId + axis) % 2 === 0 ? 1 : -1;
        styles.push(style);
      }
      // …then two-axis variants up to the group size.
      for (let j = 0; styles.length < POOL_GROUP_SIZE && k >= 2; j++) {
        const a = (groupId + 2 * j) % k;
        const b = (a + 1 + (j % (k - 1))) % k;
        const style = new Array<number>(k).fill(0);
        style[a] = (groupId + j) % 2 === 0 ? 1 : -1;
        style[b] = (groupId + j) % 2 === 0 ? -1 : 1;
        if (styles.some((existing) => existing.every((value, i) => value === style[i]))) continue;
        styles.push(style);
      }
      styles.forEach((style, index) => images.push({ groupId, index, subject, prompt: withPhrases(subject, style, axes), seed, style }));
    }
  });
  return images;
}

/** Storage key of a pool image (shared by every user; never built from user text). */
export function poolStorageKey(modelId: string, groupId: number, index: number): string {
  return `personalization/${modelId}/${groupId}/${index}`;
}

/** A pair id as shown: `leftId~rightId`. */
export function pairIdOf(leftId: string, rightId: string): string {
  return `${leftId}~${rightId}`;
}

/** The orientation-free key of a pair (what "already shown" compares). */
export function unorderedKey(a: string, b: string): string {
  return a < b ? `${a}~${b}` : `${b}~${a}`;
}

export interface TPoolImageRow {
  id: string;
  groupId: number;
  style: number[];
}

/** Every within-group pair of a model's pool whose styles differ; pairId is the unordered key. */
export async function poolCandidates(db: Db, modelId: string): Promise<{ candidates: TCandidatePair[]; images: Map<string, TPoolImageRow> }> {
  const rows = await db.poolImage.findMany({ where: { modelId }, select: { id: true, groupId: true, style: true }, orderBy: [{ groupId: "asc" }, { id: "asc" }] });
  const images = new Map(rows.map((row) => [row.id, row]));
  const groups = new Map<number, TPoolImageRow[]>();
  for (const row of rows) groups.set(row.groupId, [...(groups.get(row.groupId) ?? []), row]);
  const candidates: TCandidatePair[] = [];
  for (const [groupId, members] of groups) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i]!, members[j]!].sort((x, y) => (x.id < y.id ? -1 : 1)) as [TPoolImageRow, TPoolImageRow];
        if (a.style.every((value, axis) => value === b.style[axis])) continue;
        candidates.push({ pairId: unorderedKey(a.id, b.id), groupId: String(groupId), left: a.style, right: b.style });
      }
    }
  }
  return { candidates, images };
}

export interface TPoolJobData extends TGpuJobData {
  model: string;
  /** Render every image again (files are overwritten, rows and answers kept), e.g. after the model's weights changed. */
  rerender?: boolean;
}

/**
 * Queues the pool render for a model on the GPU queue (deduplicated: one per
 * model while it waits or runs). Returns false when one is already queued.
 */
export async function enqueuePoolJob(queues: GpuQueues, modelId: string, options: { rerender?: boolean } = {}): Promise<boolean> {
  const queue = queues.forModel(modelId);
  const id = `${POOL_JOB_NAME}-${modelId}`;
  const existing = await queue.getJob(id);
  if (existing) {
    const state = await existing.getState();
    if (state === "waiting" || state === "active" || state === "delayed" || state === "prioritized" || state === "waiting-children") return false;
    await existing.remove().catch(() => undefined);
  }
  const data: TPoolJobData = { jobId: id, model: modelId, ...(options.rerender && { rerender: true }) };
  await queue.add(POOL_JOB_NAME, data, {
    jobId: id,
    // Relax band, in turns of a few images (workers/handlers/personalization-pool.ts): user jobs go first.
    priority: MODE_PRIORITY.relax,
    attempts: 3,
    backoff: { type: "exponential", delay: 5_000 },
    removeOnComplete: true,
    removeOnFail: { age: 24 * 3600 },
  });
  return true;
}

/** Pool images stored for a model. */
export function poolSize(db: Db, modelId: string): Promise<number> {
  return db.poolImage.count({ where: { modelId } });
}

/**
 * `npm start`'s seed step: queues the default model's ranking pool when it has
 * no images yet (the worker renders it once it starts). Never fails start-up:
 * a missing pool is also queued by the first GET /personalization/pairs/next.
 */
export async function seedPersonalizationPool(db: Db, queues: GpuQueues, modelId: string): Promise<boolean> {
  if ((await poolSize(db, modelId)) > 0) return false;
  return enqueuePoolJob(queues, modelId);
}
