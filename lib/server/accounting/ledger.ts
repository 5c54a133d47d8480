import { Prisma } from "@/lib/generated/prisma/client";
import { uuid7 } from "@/lib/db/uuid7";
import { lockUsageAccount, availableMs } from "./account";
import { chargeFor, MODE_MULTIPLIER, type TMode } from "./rates";
import { lockTeamPool } from "./team-pool";

type Tx = Prisma.TransactionClient;

/**
 * The three ledger moves of a job, each idempotent through the unique
 * (jobId, kind) key: a retry or a duplicate delivery finds the row already
 * there and changes nothing. Each runs inside the caller's transaction, with
 * the user's account locked, so the account columns move with the ledger.
 *
 * A move applies to one balance: the user's usage_account, or the team pool
 * the job's hold came from (docs/teams.md); ledger rows of a pool carry its
 * teamId. Both tables have the same balance columns, so one statement serves
 * either through the fragments below (fixed SQL, never input).
 */
interface Balance {
  /** The table holding the balance, and the WHERE matching its row. */
  table: Prisma.Sql;
  match: Prisma.Sql;
  teamId: string | null;
}

function userBalance(userId: string): Balance {
  return { table: Prisma.raw(`"usage_account"`), match: Prisma.sql`"usage_account"."userId" = ${userId}`, teamId: null };
}

function teamBalance(teamId: string): Balance {
  return { table: Prisma.raw(`"team_pool"`), match: Prisma.sql`"team_pool"."teamId" = ${teamId}`, teamId };
}

/**
 * The balance a job's ledger moves apply to, locked: the user's account is
 * always locked first (the fixed lock order), then the team pool when the
 * job's hold came from one. The balance figures returned are the one moved.
 */
async function lockBalanceOfJob(tx: Tx, userId: string, jobId: string) {
  const account = await lockUsageAccount(tx, userId, new Date(), { jobId });
  if (account.holdTeamId === null) return { balance: userBalance(userId), figures: account };
  const pool = await lockTeamPool(tx, account.holdTeamId);
  // A team deleted while its jobs ran: there is no pool left to move; its ledger rows still close the job.
  return { balance: teamBalance(account.holdTeamId), figures: pool ?? { ...account, allowanceMs: 0n, grantedMs: 0n, heldMs: 0n, usedMs: 0n } };
}

/** What a job's hold reserves: its estimate times its mode's multiplier (nothing in Relax). */
export function holdAmountMs(estimateMs: number, mode: TMode): bigint {
  return BigInt(Math.round(estimateMs * MODE_MULTIPLIER[mode]));
}

/**
 * Reserves the estimated cost of a submission's jobs, all or none: false
 * when the balance lacks the fast time for them together (nothing written).
 * The caller has locked the balance (lockUsageAccount, and lockTeamPool for
 * `teamId`) in this transaction, so it exists and is in the current period;
 * the reserve itself is one conditional UPDATE, so it can never overdraw
 * even unlocked. One statement however many jobs: the UPDATE and the ledger
 * rows travel together.
 */
export async function holdForJobs(
  tx: Tx,
  input: { userId: string; teamId?: string | null; jobs: Array<{ jobId: string; estimateMs: number; mode: TMode }> },
): Promise<boolean> {
  const holds = input.jobs.map((job) => ({ ...job, amount: holdAmountMs(job.estimateMs, job.mode) })).filter((hold) => hold.amount > 0n);
  if (holds.length === 0) return true;
  const total = holds.reduce((sum, hold) => sum + hold.amount, 0n);
  const balance = input.teamId ? teamBalance(input.teamId) : userBalance(input.userId);
  const [written] = await tx.$queryRaw<Array<{ count: number }>>`
    WITH held AS (
      UPDATE ${balance.table} SET "heldMs" = "heldMs" + ${total}::bigint, "updatedAt" = now()
       WHERE ${balance.match} AND "allowanceMs" + "grantedMs" - "heldMs" - "usedMs" >= ${total}::bigint
      RETURNING "periodStart"),
    entries AS (
      INSERT INTO "ledger_entry" ("id", "userId", "jobId", "kind", "amountMs", "multiplier", "periodStart", "teamId")
      SELECT e.id, ${input.userId}, e.job_id, 'hold'::"ledger_kind", e.amount, e.multiplier, held."periodStart", ${balance.teamId}
        FROM held, unnest(${holds.map(() => uuid7())}::text[], ${holds.map((hold) => hold.jobId)}::text[],
                          ${holds.map((hold) => hold.amount.toString())}::text[]::bigint[], ${holds.map((hold) => MODE_MULTIPLIER[hold.mode])}::float8[])
             AS e(id, job_id, amount, multiplier)
      RETURNING 1)
    SELECT count(*)::int AS count FROM entries`;
  return written?.count === holds.length;
}

/** One job's hold on the user's own account (holdForJobs with one job). */
export function holdForJob(tx: Tx, input: { userId: string; jobId: string; estimateMs: number; mode: TMode }): Promise<boolean> {
  return holdForJobs(tx, { userId: input.userId, jobs: [input] });
}

/**
 * Settles a finished job at its measured cost: the hold is returned and the
 * charge (capped at what the balance can pay, so nobody goes negative) is
 * used. Returns the charge, or null when the job was already settled.
 *
 * Two statements for a job on the user's own time (three on a team pool):
 * the lock, then one that reads the job's ledger rows, writes the settle row
 * and moves the balance. The read must come after the lock, in a statement of
 * its own (a statement sees what was committed when it began): every ledger
 * move of a job locks the account first, so once the lock is held a new
 * statement sees them all.
 */
export async function settleJob(tx: Tx, input: { userId: string; jobId: string; gpuMs: number; mode: TMode }): Promise<number | null> {
  const { balance, figures } = await lockBalanceOfJob(tx, input.userId, input.jobId);
  // Relax time orders the user's Relax queue, so it is counted on the user's account (a team pool never funds Relax).
  const relaxMs = input.mode === "relax" ? BigInt(Math.round(input.gpuMs)) : 0n;
  const relaxSet = balance.teamId === null ? Prisma.sql`, "relaxMs" = "relaxMs" + ${relaxMs}::bigint` : Prisma.empty;
  const [settled] = await tx.$queryRaw<Array<{ amountMs: bigint }>>`
    WITH entries AS (
      SELECT COALESCE(SUM("amountMs") FILTER (WHERE "kind" = 'hold'), 0)::bigint AS held,
             COUNT(*) FILTER (WHERE "kind" = 'release') AS released
        FROM "ledger_entry" WHERE "jobId" = ${input.jobId}),
    settled AS (
      INSERT INTO "ledger_entry" ("id", "userId", "jobId", "kind", "amountMs", "multiplier", "periodStart", "teamId")
      -- A released job (cancelled or failed) is never charged afterwards.
      SELECT ${uuid7()}, ${input.userId}, ${input.jobId}, 'settle'::"ledger_kind",
             LEAST(${BigInt(chargeFor(input.gpuMs, input.mode))}::bigint, GREATEST(${availableMs(figures)}::bigint, 0) + entries.held),
             ${MODE_MULTIPLIER[input.mode]}::float8, ${figures.periodStart}, ${balance.teamId}
        FROM entries WHERE entries.released = 0
      ON CONFLICT ("jobId", "kind") DO NOTHING
      RETURNING "amountMs"),
    moved AS (
      UPDATE ${balance.table}
         SET "heldMs" = "heldMs" - entries.held, "usedMs" = "usedMs" + settled."amountMs"${relaxSet}, "updatedAt" = now()
        FROM settled, entries
       WHERE ${balance.match})
    SELECT "amountMs" FROM settled`;
  return settled ? Number(settled.amountMs) : null;
}

/**
 * Returns a job's hold when it ends without a result (failed or cancelled);
 * nothing when it was settled. The lock, then one statement (as settleJob).
 */
export async function releaseJob(tx: Tx, input: { userId: string; jobId: string; note: string }): Promise<void> {
  const { balance, figures } = await lockBalanceOfJob(tx, input.userId, input.jobId);
  await tx.$executeRaw`
    WITH entries AS (
      SELECT COALESCE(SUM("amountMs") FILTER (WHERE "kind" = 'hold'), 0)::bigint AS held,
             COUNT(*) FILTER (WHERE "kind" = 'settle') AS settled
        FROM "ledger_entry" WHERE "jobId" = ${input.jobId}),
    released AS (
      INSERT INTO "ledger_entry" ("id", "userId", "jobId", "kind", "amountMs", "periodStart", "note", "teamId")
      SELECT ${uuid7()}, ${input.userId}, ${input.jobId}, 'release'::"ledger_kind", entries.held, ${figures.periodStart}, ${input.note}, ${balance.teamId}
        FROM entries WHERE entries.settled = 0
      ON CONFLICT ("jobId", "kind") DO NOTHING
      RETURNING "amountMs")
    UPDATE ${balance.table} SET "heldMs" = "heldMs" - released."amountMs", "updatedAt" = now()
      FROM released
     WHERE ${balance.match} AND released."amountMs" > 0`;
}

/** An admin's grant of extra fast time for the current period. */
export async function grantFastTime(tx: Tx, input: { userId: string; amountMs: bigint; actorId: string; note?: string }): Promise<void> {
  const account = await lockUsageAccount(tx, input.userId);
  await tx.usageAccount.update({ where: { userId: input.userId }, data: { grantedMs: { increment: input.amountMs } } });
  await tx.ledgerEntry.create({
    data: { userId: input.userId, kind: "grant", amountMs: input.amountMs, periodStart: account.periodStart, actorId: input.actorId, note: input.note ?? null },
  });
}

/** An admin's grant of extra fast time to a team's pool for the current period. */
export async function grantTeamFastTime(tx: Tx, input: { teamId: string; amountMs: bigint; actorId: string; note?: string }): Promise<boolean> {
  const pool = await lockTeamPool(tx, input.teamId);
  if (!pool) return false;
  await tx.teamPool.update({ where: { teamId: input.teamId }, data: { grantedMs: { increment: input.amountMs } } });
  await tx.ledgerEntry.create({
    data: { userId: input.actorId, teamId: input.teamId, kind: "grant", amountMs: input.amountMs, periodStart: pool.periodStart, actorId: input.actorId, note: input.note ?? null },
  });
  return true;
}
