import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { settleSeededJobs } from "./seed-settle";

const SUBJECTS = ["house", "tree", "boat", "star", "moon", "fish", "flower", "cloud", "ring", "mountain"];
const COLOURS = ["red", "blue", "green", "yellow", "purple", "orange", "pink", "white"];
const BACKGROUNDS = ["under a sunset sky", "at sea", "on the snow", "under a night sky with stars", "over grass"];
const ASPECTS = [{ width: 1, height: 1 }, { width: 16, height: 9 }, { width: 3, height: 4 }];

/**
 * Inserts `count` finished jobs of four images each for a user, with varied
 * prompts, types, aspect ratios and likes: gallery rows for tests and the
 * gallery benchmark (no files; the listing never reads them), each settled
 * at zero cost so the ledger invariants hold.
 */
export async function seedGalleryRows(db: Db, userId: string, count: number): Promise<void> {
  const batch = 250;
  for (let start = 0; start < count; start += batch) {
    const jobs = [];
    const images = [];
    for (let n = start; n < Math.min(count, start + batch); n += 1) {
      const id = randomUUID();
      const aspect = ASPECTS[n % ASPECTS.length]!;
      const prompt = `a ${COLOURS[n % COLOURS.length]} ${SUBJECTS[(n * 7) % SUBJECTS.length]} ${BACKGROUNDS[(n * 3) % BACKGROUNDS.length]}`;
      const isDraft = n % 5 === 0;
      jobs.push({
        id,
        userId,
        type: n % 4 === 1 ? "vary-subtle" : "imagine",
        mode: "fast" as const,
        status: "completed" as const,
        prompt,
        recipe: { prompt, aspectRatio: aspect, draft: isDraft },
        params: { kind: "imagine", model: "mirage-tiny", prompt, negativePrompt: "", seed: n, quality: isDraft ? "draft" : "full", width: 128, height: 128, count: 4 },
        modelId: "mirage-tiny",
        createdAt: new Date(Date.now() - (count - n) * 1000),
      });
      for (let index = 0; index < 4; index += 1) {
        images.push({
          jobId: id,
          userId,
          index,
          seed: BigInt(n + index),
          width: 128,
          height: 128,
          isDraft,
          storageKey: `${userId}/${id}/${index}`,
          recipe: {},
          likedAt: (n + index) % 9 === 0 ? new Date() : null,
        });
      }
    }
    await db.job.createMany({ data: jobs });
    await db.image.createMany({ data: images });
    await settleSeededJobs(db, userId, jobs.map((job) => job.id));
  }
}
