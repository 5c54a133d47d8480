import type { Db } from "@/lib/db/client";
import { DEFAULT_PLAN_NAME, DEFAULT_PLANS } from "@/lib/schemas/plans";
import { AppError } from "@/lib/errors";

const MS_PER_HOUR = 3_600_000;

/** Inserts the built-in plans that are missing; never overwrites an admin's edits. */
export async function seedPlans(db: Db): Promise<void> {
  for (const plan of DEFAULT_PLANS) {
    const { fastHours, ...rest } = plan;
    await db.plan.upsert({
      where: { name: plan.name },
      create: { ...rest, fastMsPerMonth: BigInt(Math.round(fastHours * MS_PER_HOUR)) },
      update: {},
    });
  }
}

export async function getPlanIdByName(db: Db, name: string): Promise<string> {
  const plan = await db.plan.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, select: { id: true } });
  if (!plan) {
    const names = (await db.plan.findMany({ select: { name: true }, orderBy: { sortOrder: "asc" } })).map((p) => p.name);
    throw new AppError("BAD_REQUEST", `Unknown plan "${name}". Plans: ${names.join(", ")}.`);
  }
  return plan.id;
}

export function getDefaultPlanId(db: Db): Promise<string> {
  return getPlanIdByName(db, DEFAULT_PLAN_NAME);
}
