import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const LIFECYCLE = "lib/server/jobs/lifecycle.ts";

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "node_modules") found.push(...sources(relative));
    } else if (/\.(ts|tsx)$/.test(entry.name)) found.push(relative);
  }
  return found;
}

/** Prisma writes to the job table, and raw SQL that changes it. */
const JOB_WRITE = /\.job\.(create|createMany|update|updateMany|upsert)\(|\b(UPDATE|INSERT INTO)\s+"?job"?\s/;

describe("the job lifecycle", () => {
  it("is the only product module that writes job rows (so the only one that writes job.status)", () => {
    const writers = ["app", "lib", "workers"].flatMap((dir) => sources(dir)).filter((file) => JOB_WRITE.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(writers).toEqual([LIFECYCLE]);
  });
});
