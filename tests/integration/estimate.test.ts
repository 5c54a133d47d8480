import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TJobParams } from "@/lib/jobs/registry";
import { estimateGpuMs, estimateKey } from "@/lib/server/accounting/estimate";
import { seedUser } from "../support/db";

/**
 * Cost estimates are what a job holds, so they must not come in below what
 * jobs really use. Measured jobs are written in transactions that are rolled
 * back (the shared database's ledger invariants never see them), under a
 * model id of their own.
 */
const db = createDb(inject("databaseUrl"), { max: 2 });
class Rollback extends Error {}

async function inRolledBackTransaction(work: (tx: Prisma.TransactionClient) => Promise<void>) {
  await expect(db.$transaction(async (tx) => { await work(tx); throw new Rollback("roll back"); }, { timeout: 20_000 })).rejects.toBeInstanceOf(Rollback);
}

const model = `estimate-${randomBytes(3).toString("hex")}`;
function imagine(width: number, height: number, quality: "draft" | "full" = "full"): TJobParams {
  return { kind: "imagine", model, prompt: "a red boat", negativePrompt: "", seed: 1, quality, width, height, count: 4 };
}

async function measured(tx: Prisma.TransactionClient, userId: string, params: TJobParams, gpuMs: number[]) {
  for (const ms of gpuMs) {
    await tx.job.create({
      data: { userId, type: "imagine", mode: "fast", status: "completed", prompt: params.prompt, recipe: {}, params, modelId: model, estimateKey: estimateKey(params), gpuMs: ms },
    });
  }
}

afterAll(async () => {
  await db.$disconnect();
});

describe("GPU-time estimates", () => {
  it("hold at least the p95 of recent runs of the same key, not just their average", async () => {
    const user = await seedUser(db);
    await inRolledBackTransaction(async (tx) => {
      // 19 quick runs and one slow one: the average plus 25 % would not cover the slow one.
      await measured(tx, user.id, imagine(64, 64), [...Array.from({ length: 18 }, () => 100), 900, 1000]);
      const estimate = await estimateGpuMs(tx, imagine(64, 64));
      expect(estimate).toBeGreaterThanOrEqual(900);
    });
  });

  it("learn a cold size from the same model and kind at other sizes (p95 per megapixel), not a fixed guess", async () => {
    const user = await seedUser(db);
    await inRolledBackTransaction(async (tx) => {
      // This model costs about 1 s per grid of four 64×64 images, i.e. ~61 s per megapixel-image:
      // ten times the built-in cold default for full quality.
      await measured(tx, user.id, imagine(64, 64), [900, 1000, 1100, 1000, 950]);
      const cold = await estimateGpuMs(tx, imagine(128, 64));
      // Twice the pixels: about twice the cost, never below the p95 rate.
      expect(cold).toBeGreaterThanOrEqual(2 * 1100);
      expect(cold).toBeLessThan(2 * 1100 * 1.5);
      // Draft quality is another cost class: no prior from full-quality runs.
      expect(await estimateGpuMs(tx, imagine(128, 64, "draft"))).toBeLessThan(1_000);
    });
  });
});
