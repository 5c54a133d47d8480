import { mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { sendDraftMessage, startDraftSession } from "@/lib/server/draft/sessions";
import type { JobContext } from "@/lib/server/jobs/context";
import type { Principal } from "@/lib/server/principal";
import { seedUser, testDb } from "../support/db";

/**
 * Draft sessions rewrite follow-ups in the words of the session's model: two
 * installed models with different manifests (mirage-tiny's own Draft tables,
 * and a fixture model whose world is robots in neon cities) give different
 * rewrites of the same request. Jobs are only accepted here (no worker runs
 * them); the model of a session is the one its drafts were made with.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-draft`;
let modelsDir = "";
let principal: Principal;
const queues: Array<JobContext["queue"]> = [];

function contextFor(defaultModelId: string): JobContext & { llm: null } {
  const queue = createGpuQueues(redis, prefix);
  queues.push(queue);
  return {
    db,
    queue,
    modelsDir,
    defaultModelId,
    log: createLogger("test", "silent"),
    redis,
    redisPrefix: prefix,
    llm: null,
  };
}

beforeAll(async () => {
  // MODELS_DIR with mirage-tiny and "robot-world": the tiny SD fixture's graphs under robot-world's manifest.
  modelsDir = await mkdtemp(path.join(tmpdir(), "mirage-draft-models-"));
  // Folders of links (the catalog lists real folders only).
  const tiny = path.join(modelsDir, "mirage-tiny");
  await mkdir(tiny);
  for (const entry of await readdir(path.join(ROOT, "models/mirage-tiny"))) await symlink(path.join(ROOT, "models/mirage-tiny", entry), path.join(tiny, entry));
  const robot = path.join(modelsDir, "robot-world");
  await mkdir(robot);
  const graphs = path.join(ROOT, "tests/fixtures/diffusion/tiny-sd-optimum");
  for (const entry of await readdir(graphs)) if (entry !== "mirage.json") await symlink(path.join(graphs, entry), path.join(robot, entry));
  await symlink(path.join(ROOT, "tests/fixtures/draft/robot-world/mirage.json"), path.join(robot, "mirage.json"));
  const user = await seedUser(db);
  principal = { userId: user.id, email: user.email, role: "user", via: "token" };
});

afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await redis.quit();
  await db.$disconnect();
  await rm(modelsDir, { recursive: true, force: true });
});

describe("Draft follow-ups use the session model's vocabulary", () => {
  it("rewrites with mirage-tiny's phrases in a mirage-tiny session", async () => {
    const context = contextFor("mirage-tiny");
    const session = await startDraftSession(context, principal, "a red house --seed 3");
    const next = await sendDraftMessage(context, principal, session.id, { message: "make it night and more muted" });
    expect(next.turns.at(-1)).toMatchObject({ prompt: "a red house, under a night sky with stars, muted colours --seed 3 --draft", source: "rules" });
    const job = await db.job.findUniqueOrThrow({ where: { id: next.turns.at(-1)!.job!.id }, select: { modelId: true } });
    expect(job.modelId).toBe("mirage-tiny");
    // Words the model's vocabulary does not have: a question back (2xx), nothing drafted.
    const asked = await sendDraftMessage(context, principal, session.id, { message: "louder" });
    expect(asked.turns.at(-1)).toMatchObject({ source: "clarify", job: null, prompt: next.turns.at(-1)!.prompt });
    expect(asked.turns.at(-1)!.reply!.readings.length).toBeGreaterThan(0);
    expect(asked.prompt).toBe(next.prompt);
    await expect(sendDraftMessage(context, principal, session.id, { message: "x", fromTurnId: "not-a-turn" })).rejects.toBeInstanceOf(AppError);
  });

  it("rewrites with the other model's phrases in its sessions, even after the default model changes", async () => {
    const session = await startDraftSession(contextFor("robot-world"), principal, "a robot, in a city, pastel palette --seed 1");
    // The studio's default is now mirage-tiny; the session still drafted with robot-world.
    const context = contextFor("mirage-tiny");
    const next = await sendDraftMessage(context, principal, session.id, { message: "louder" });
    expect(next.turns.at(-1)?.prompt).toBe("a robot, in a city, neon palette --seed 1 --draft");
    const moved = await sendDraftMessage(context, principal, session.id, { message: "downtown" });
    expect(moved.turns.at(-1)?.prompt).toBe("a robot, in a neon city, neon palette --seed 1 --draft");
    // mirage-tiny's words mean nothing to robot-world: a question back, nothing drafted.
    const asked = await sendDraftMessage(context, principal, session.id, { message: "more muted" });
    expect(asked.turns.at(-1)).toMatchObject({ source: "clarify", job: null });
    // Its drafts stay on robot-world.
    const typed = await sendDraftMessage(context, principal, session.id, { prompt: "a drone --seed 1" });
    expect(typed.turns).toHaveLength(5);
    const models = await db.job.findMany({ where: { id: { in: typed.turns.flatMap((turn) => (turn.job ? [turn.job.id] : [])) } }, select: { modelId: true } });
    expect(models.map((job) => job.modelId)).toEqual(["robot-world", "robot-world", "robot-world", "robot-world"]);
  });
});

describe("Draft undo and branches (issue 23)", () => {
  it("goes back without drafting, continues from the restored turn, and branches from any drafted turn", async () => {
    const context = contextFor("mirage-tiny");
    const jobsBefore = await db.job.count({ where: { userId: principal.userId } });
    const start = await startDraftSession(context, principal, "a red house --seed 3");
    const [t0] = start.turns;
    const night = await sendDraftMessage(context, principal, start.id, { message: "make it night" });
    const t1 = night.turns.at(-1)!;
    expect(t1).toMatchObject({ parentId: t0!.id, prompt: "a red house, under a night sky with stars --seed 3 --draft" });
    const moon = await sendDraftMessage(context, principal, start.id, { message: "add a moon" });
    const t2 = moon.turns.at(-1)!;
    expect(t2.parentId).toBe(t1.id);

    // "undo that": back to the night turn, no new drafts, and it is the head again.
    const undone = await sendDraftMessage(context, principal, start.id, { message: "undo that" });
    expect(undone.turns.at(-1)).toMatchObject({ source: "undo", parentId: t1.id, job: null, prompt: t1.prompt });
    expect(undone.prompt).toBe(t1.prompt);
    expect(undone.headTurnId).toBe(t1.id);

    // The next follow-up branches from the restored turn, not from the moon.
    const wide = await sendDraftMessage(context, principal, start.id, { message: "make it wide" });
    expect(wide.turns.at(-1)).toMatchObject({ parentId: t1.id, prompt: "a red house, under a night sky with stars --ar 16:9 --seed 3 --draft" });

    // "go back to the first one", then continue from the moon turn by clicking it.
    const first = await sendDraftMessage(context, principal, start.id, { message: "go back to the first one" });
    expect(first.turns.at(-1)).toMatchObject({ source: "undo", parentId: t0!.id, prompt: t0!.prompt });
    const branch = await sendDraftMessage(context, principal, start.id, { message: "more vivid", fromTurnId: t2.id });
    expect(branch.turns.at(-1)).toMatchObject({ parentId: t2.id, prompt: "a red house and a moon, under a night sky with stars, vivid colours --seed 3 --draft" });
    expect(branch.headTurnId).toBe(branch.turns.at(-1)!.id);

    // Undo and question turns hold no prompt of their own to continue from.
    await expect(sendDraftMessage(context, principal, start.id, { message: "darker", fromTurnId: undone.turns.at(-1)!.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    // A request that would remove the subject asks back and drafts nothing.
    const asked = await sendDraftMessage(context, principal, start.id, { message: "remove it" });
    expect(asked.turns.at(-1)).toMatchObject({ source: "clarify", job: null });
    expect(asked.turns.at(-1)!.reply!.readings.length).toBeGreaterThanOrEqual(2);

    // Drafted turns: start, night, moon, wide, branch — five jobs; the undos and the question made none.
    expect(await db.job.count({ where: { userId: principal.userId } })).toBe(jobsBefore + 5);
  });
});
