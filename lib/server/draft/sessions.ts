import "server-only";
import { z } from "zod";
import { rewritePrompt, rewriteWithLlm, UNKNOWN_MESSAGE, type TLlmConfig, type TRewriteResult } from "@/lib/draft";
import { AppError } from "@/lib/errors";
import { formatPrompt, parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import type { TDraftSession, TDraftTurn } from "@/lib/schemas/draft";
import type { TJobView } from "@/lib/schemas/jobs";
import type { JobContext } from "@/lib/server/jobs/context";
import { listModels } from "@/lib/models/catalog";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { assertPromptAllowed } from "@/lib/server/moderation/check-prompt";
import { JOB_VIEW_SELECT, toJobView } from "@/lib/server/jobs/job-view";
import { draftVocabularyFor } from "./vocabulary";
import type { Principal } from "@/lib/server/principal";

/**
 * Draft mode: a session is a chat whose turns each hold a prompt and one grid
 * of drafts. Follow-ups in plain language are rewritten into the next prompt
 * (by an LLM when one is configured, by lib/draft's rules otherwise) in the
 * words of the session's model (its manifest's Draft vocabulary); the
 * parameters the user set are kept, and every turn drafts.
 */

function parseOrThrow(prompt: string): TPromptRecipe {
  const parsed = parsePrompt(prompt);
  if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.error.message);
  return parsed.recipe;
}

/** Every turn is a single draft grid, whatever the prompt said. */
function asDraft(recipe: TPromptRecipe): string {
  return formatPrompt({ ...recipe, draft: true, repeat: 1 });
}

async function draftJob(context: JobContext, principal: Principal, recipe: TPromptRecipe, model?: string): Promise<TJobView> {
  return createImagineJobs(context, principal, { prompt: asDraft(recipe), ...(model && { model }) });
}

/**
 * The model a session drafts with: the one its latest turn used, so a session
 * stays on one model (its drafts stay comparable, and its follow-ups are read
 * in that model's words) even if the studio's default changes; the default
 * when the session has no job yet or its model has been uninstalled.
 */
async function sessionModel(context: JobContext, latestModelId: string | undefined): Promise<string> {
  if (!latestModelId) return context.defaultModelId;
  const installed = (await listModels(context.modelsDir)).some((model) => model.id === latestModelId);
  return installed ? latestModelId : context.defaultModelId;
}

function titleOf(recipe: TPromptRecipe): string {
  return recipe.prompt.length > 60 ? `${recipe.prompt.slice(0, 57)}…` : recipe.prompt;
}

export async function startDraftSession(context: JobContext, principal: Principal, prompt: string): Promise<TDraftSession> {
  const recipe = parseOrThrow(prompt);
  const job = await draftJob(context, principal, recipe);
  const session = await context.db.draftSession.create({
    data: {
      userId: principal.userId,
      title: titleOf(recipe),
      prompt: asDraft(recipe),
      turns: { create: { index: 0, message: prompt, prompt: asDraft(recipe), changes: [], source: "start", jobId: job.id } },
    },
    select: { id: true },
  });
  return getDraftSession(context, principal.userId, session.id);
}

type TTurnRow = { id: string; index: number; prompt: string; source: string; parentId: string | null; job: { modelId: string } | null };

/**
 * The turn a follow-up continues from when it names none: the latest turn
 * that holds a prompt of its own (a question back does not), and for an undo
 * turn the turn it went back to — so "undo" then "make it red" branches from
 * the restored turn.
 */
function headOf(turns: readonly TTurnRow[]): TTurnRow | undefined {
  const byId = new Map(turns.map((turn) => [turn.id, turn]));
  const latest = [...turns].sort((a, b) => b.index - a.index).find((turn) => turn.source !== "clarify");
  if (latest?.source === "undo" && latest.parentId) return byId.get(latest.parentId) ?? latest;
  return latest;
}

/** The turn an undo returns to: the parent of `from` (through earlier undos), or the first turn. */
function undoTarget(turns: readonly TTurnRow[], from: TTurnRow, to: "previous" | "first"): TTurnRow | undefined {
  if (to === "first") return turns.find((turn) => turn.index === 0);
  const byId = new Map(turns.map((turn) => [turn.id, turn]));
  return from.parentId ? byId.get(from.parentId) : undefined;
}

/**
 * A follow-up: `message` is plain language to rewrite, `prompt` a prompt the
 * user edited by hand; `fromTurnId` continues from an earlier turn (a
 * branch), otherwise from the head. Every answer is a turn: a drafted one, an
 * undo (an earlier prompt restored, nothing drafted, nothing charged), or a
 * question back with readings when the request is unclear or could only be
 * read destructively (nothing drafted).
 */
export async function sendDraftMessage(
  context: JobContext & { llm: TLlmConfig | null },
  principal: Principal,
  sessionId: string,
  input: ({ message: string } | { prompt: string }) & { fromTurnId?: string | undefined },
): Promise<TDraftSession> {
  // The message is read into a prompt (maybe by an LLM): it is checked first, and the prompt it becomes again when queued.
  await assertPromptAllowed(context.db, { userId: principal.userId, texts: ["message" in input ? input.message : input.prompt], source: "draft" });
  const session = await context.db.draftSession.findFirst({
    where: { id: sessionId, userId: principal.userId },
    select: {
      id: true,
      prompt: true,
      turns: { orderBy: { index: "asc" }, select: { id: true, index: true, prompt: true, source: true, parentId: true, job: { select: { modelId: true } } } },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "No such draft session.");
  const turns: TTurnRow[] = session.turns;
  const from = input.fromTurnId === undefined ? headOf(turns) : turns.find((turn) => turn.id === input.fromTurnId);
  if (input.fromTurnId !== undefined && !from) throw new AppError("BAD_REQUEST", "fromTurnId is not a turn of this session.");
  if (from && (from.source === "clarify" || from.source === "undo")) throw new AppError("BAD_REQUEST", "Continue from a turn that drafted a prompt.");
  const current = parseOrThrow(from?.prompt ?? session.prompt);
  // The latest drafted turn's model is the session's (sessionModel).
  const latestModel = [...turns].reverse().find((turn) => turn.job)?.job?.modelId;
  const model = await sessionModel(context, latestModel);
  const index = turns.length;
  const parentId = from?.id ?? null;

  const addTurn = async (data: { message: string; prompt: string; changes: TRewriteResult["changes"]; source: TDraftTurn["source"]; jobId?: string; parentId: string | null; reply?: TStoredReply; sessionPrompt?: string }) => {
    await context.db.$transaction([
      context.db.draftTurn.create({
        data: {
          sessionId, index, message: data.message, prompt: data.prompt, changes: data.changes, source: data.source, parentId: data.parentId,
          ...(data.jobId && { jobId: data.jobId }), ...(data.reply && { reply: data.reply }),
        },
      }),
      context.db.draftSession.update({ where: { id: sessionId }, data: { prompt: data.sessionPrompt ?? session.prompt } }),
    ]);
    return getDraftSession(context, principal.userId, sessionId);
  };

  if ("prompt" in input) {
    const next = parseOrThrow(input.prompt);
    const job = await draftJob(context, principal, next, model);
    return addTurn({ message: input.prompt, prompt: asDraft(next), changes: [], source: "prompt", jobId: job.id, parentId, sessionPrompt: asDraft(next) });
  }

  const vocabulary = await draftVocabularyFor(context, model);
  const rewrite = context.llm ? await rewriteWithLlm(current, input.message, context.llm, { vocabulary }) : rewritePrompt(current, input.message, { vocabulary });
  if (rewrite.undo && from) {
    const target = undoTarget(turns, from, rewrite.undo.to);
    if (!target) {
      return addTurn({ message: input.message, prompt: from.prompt, changes: [], source: "clarify", parentId, reply: { question: "There is nothing before this turn to go back to.", readings: [] } });
    }
    return addTurn({
      message: input.message, prompt: target.prompt, changes: [], source: "undo", parentId: target.id,
      reply: { note: `Back to turn ${target.index + 1}: ${target.prompt}` }, sessionPrompt: target.prompt,
    });
  }
  if (!rewrite.understood || rewrite.undo) {
    // Not a 400: a question back is an ordinary turn, with readings the user can send as they are.
    const clarify = rewrite.clarify ?? { question: rewrite.message ?? UNKNOWN_MESSAGE, readings: GENERIC_READINGS };
    return addTurn({ message: input.message, prompt: asDraft(current), changes: [], source: "clarify", parentId, reply: clarify });
  }
  const next = ZPromptRecipe.parse(rewrite.recipe);
  const job = await draftJob(context, principal, next, model);
  return addTurn({
    message: input.message, prompt: asDraft(next), changes: rewrite.changes, source: rewrite.source, jobId: job.id, parentId,
    ...(rewrite.message && { reply: { note: rewrite.message } }), sessionPrompt: asDraft(next),
  });
}

/** What a turn's `reply` column holds: a question with readings, or a note on a drafted turn. */
type TStoredReply = { question: string; readings: Array<{ label: string; message: string }> } | { note: string };

const ZStoredReply = z.union([
  z.object({ question: z.string(), readings: z.array(z.object({ label: z.string(), message: z.string() })) }),
  z.object({ note: z.string() }),
]);

/** Offered when a follow-up meant nothing to the rules: each is a request they understand. */
const GENERIC_READINGS = [
  { label: "Make it night", message: "make it night" },
  { label: "More vivid colours", message: "more vivid colours" },
  { label: "Make it wide (16:9)", message: "make it wide" },
];

export async function getDraftSession(context: Pick<JobContext, "db">, userId: string, sessionId: string): Promise<TDraftSession> {
  const session = await context.db.draftSession.findFirst({
    where: { id: sessionId, userId },
    select: {
      id: true,
      title: true,
      prompt: true,
      createdAt: true,
      updatedAt: true,
      turns: {
        orderBy: { index: "asc" },
        select: {
          id: true, index: true, message: true, prompt: true, changes: true, source: true, parentId: true, reply: true, createdAt: true,
          job: { select: JOB_VIEW_SELECT },
        },
      },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "No such draft session.");
  const turnJobIds = session.turns.flatMap((turn) => (turn.job ? [turn.job.id] : []));
  const followUps = await context.db.job.findMany({
    where: { userId, parentImage: { jobId: { in: turnJobIds } } },
    orderBy: { createdAt: "asc" },
    select: { ...JOB_VIEW_SELECT, parentImage: { select: { jobId: true } } },
  });
  const head = headOf(session.turns.map((turn) => ({ ...turn, job: null })));
  return {
    id: session.id,
    title: session.title,
    prompt: session.prompt,
    headTurnId: head?.id ?? null,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    turns: session.turns.map((turn) => {
      const stored = turn.reply === null ? null : ZStoredReply.safeParse(turn.reply);
      const reply = stored?.success ? stored.data : null;
      return {
        id: turn.id,
        index: turn.index,
        message: turn.message,
        prompt: turn.prompt,
        changes: Array.isArray(turn.changes) ? (turn.changes as TDraftTurn["changes"]) : [],
        source: turn.source as TDraftTurn["source"],
        parentId: turn.parentId,
        reply: reply && "question" in reply ? reply : null,
        note: reply && "note" in reply ? reply.note : null,
        job: turn.job ? toJobView(turn.job) : null,
        followUps: followUps.filter((job) => job.parentImage?.jobId === turn.job?.id).map(toJobView),
        createdAt: turn.createdAt.toISOString(),
      };
    }),
  };
}

export async function listDraftSessions(context: Pick<JobContext, "db">, userId: string) {
  const sessions = await context.db.draftSession.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    take: 100,
    select: {
      id: true,
      title: true,
      prompt: true,
      updatedAt: true,
      _count: { select: { turns: true } },
      turns: { orderBy: { index: "desc" }, take: 1, select: { job: { select: { images: { orderBy: { index: "asc" }, take: 1, select: { id: true } } } } } },
    },
  });
  return {
    sessions: sessions.map((session) => {
      const image = session.turns[0]?.job?.images[0];
      return {
        id: session.id,
        title: session.title,
        prompt: session.prompt,
        turns: session._count.turns,
        updatedAt: session.updatedAt.toISOString(),
        thumbUrl: image ? `/api/v1/images/${image.id}/file?size=thumb` : null,
      };
    }),
  };
}
