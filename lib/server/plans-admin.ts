import "server-only";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TPlan } from "@/lib/schemas/usage";
import { MS_PER_HOUR } from "./accounting/rates";

const PLAN_SELECT = { id: true, name: true, fastMsPerMonth: true, concurrentJobs: true, queuedJobs: true, relaxAllowed: true, maxRepeat: true, priceUsdPerMonth: true } as const;

function toPlan(row: { fastMsPerMonth: bigint } & Omit<TPlan, "fastHours">): TPlan {
  const { fastMsPerMonth, ...rest } = row;
  return { ...rest, fastHours: Number(fastMsPerMonth) / MS_PER_HOUR };
}

export async function listPlans(db: Db): Promise<TPlan[]> {
  return (await db.plan.findMany({ orderBy: { sortOrder: "asc" }, select: PLAN_SELECT })).map(toPlan);
}

/**
 * Changes a plan. Fast hours apply from each user's next monthly period (the
 * current one keeps the allowance it started with); caps apply at once.
 */
export async function updatePlan(db: Db, planId: string, changes: Partial<Omit<TPlan, "id" | "name">>): Promise<TPlan> {
  const { fastHours, ...rest } = changes;
  const found = await db.plan.findUnique({ where: { id: planId }, select: { id: true } });
  if (!found) throw new AppError("NOT_FOUND", "No such plan.");
  const row = await db.plan.update({
    where: { id: planId },
    data: { ...rest, ...(fastHours === undefined ? {} : { fastMsPerMonth: BigInt(Math.round(fastHours * MS_PER_HOUR)) }) },
    select: PLAN_SELECT,
  });
  return toPlan(row);
}
