import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import type { Db } from "@/lib/db/client";
import { imagePath } from "@/lib/storage";
import { expectLedgerInvariants } from "./invariants";

/** The model queues of a job context (counts summed over them). */
interface QueueCounts {
  getJobCounts(types: Array<"active" | "waiting" | "prioritized" | "delayed">): Promise<Record<string, number>>;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/**
 * What must hold after every chaos scenario: the ledger invariants (balances
 * equal ledger sums, nothing charged twice, no job left running), every
 * image file under `storageDir` belongs to an image or upload row and every
 * such row of `userIds` has both its files, no job of theirs is still waiting, and
 * BullMQ holds nothing active or waiting for them.
 */
export async function expectChaosInvariants(db: Db, options: { storageDir: string; userIds: string[]; queue?: QueueCounts }): Promise<void> {
  await expectLedgerInvariants(db);
  const { storageDir, userIds } = options;
  // Stored files are results (image rows) and uploaded image prompts (upload rows).
  const rows = [
    ...(await db.image.findMany({ where: { userId: { in: userIds } }, select: { storageKey: true } })),
    ...(await db.upload.findMany({ where: { userId: { in: userIds } }, select: { storageKey: true } })),
  ];
  const expected = new Set(rows.flatMap((row) => [imagePath(storageDir, row.storageKey, "full"), imagePath(storageDir, row.storageKey, "thumb")]));
  const onDisk = (await listFiles(storageDir)).map((file) => path.resolve(storageDir, file));
  expect(onDisk.filter((file) => !expected.has(file)), "image files without an image or upload row (or left-over temporary files)").toEqual([]);
  expect([...expected].filter((file) => !existsSync(file)), "image rows without their files").toEqual([]);
  const open = await db.job.findMany({ where: { userId: { in: userIds }, status: { in: ["queued", "running"] } }, select: { id: true, status: true } });
  expect(open, "jobs not finished").toEqual([]);
  if (options.queue) {
    const counts = await options.queue.getJobCounts(["active", "waiting", "prioritized", "delayed"]);
    expect(counts, "BullMQ still holds work although every job row is finished").toEqual({ active: 0, waiting: 0, prioritized: 0, delayed: 0 });
  }
}
