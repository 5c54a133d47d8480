import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { parsePrompt } from "@/lib/prompt";
import { settleSeededJobs } from "./seed-settle";
import { FIXTURE_MODEL } from "./worker-process";

/**
 * A finished imagine job of the fixture model with one 64×64 image (rows
 * only, no files), as a worker would leave it: for tests of what is made
 * from an image (edits, Vary) without running a worker first.
 */
export async function seedFixtureImage(db: Db, userId: string, prompt = "a red square --no blue"): Promise<string> {
  const jobId = randomUUID();
  const parsed = parsePrompt(prompt);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { recipe } = parsed;
  await db.job.create({
    data: {
      id: jobId,
      userId,
      type: "imagine",
      mode: "fast",
      status: "completed",
      prompt: recipe.prompt,
      recipe,
      params: { kind: "imagine", model: FIXTURE_MODEL, prompt: recipe.prompt, negativePrompt: recipe.negativePrompt ?? "", seed: 1, quality: "full", width: 64, height: 64, count: 1 },
      modelId: FIXTURE_MODEL,
      images: { create: { userId, index: 0, seed: 1n, width: 64, height: 64, isDraft: false, storageKey: `${userId}/${jobId}/0`, recipe: {} } },
    },
  });
  await settleSeededJobs(db, userId, [jobId]);
  return (await db.image.findFirstOrThrow({ where: { jobId }, select: { id: true } })).id;
}
