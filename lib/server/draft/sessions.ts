import "server-only";
import { rewritePrompt, rewriteWithLlm, type TLlmConfig, type TRewriteResult } from "@/lib/draft";
import { AppError } from "@/lib/errors";
import { formatPrompt, parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import type { TDraftSession, TDraftTurn } from "@/lib/schemas/draft";
import type { TJobView } from "@/lib/schemas/jobs";
import type { JobContext } from "@/lib/server/jobs/context";
import { listModels } from "@/lib/models/catalog";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
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

/**
 * A follow-up: `message` is plain language to rewrite, `prompt` a prompt the
 * user edited by hand. Nothing is written when it cannot be understood.
 */
export async function sendDraftMessage(
  context: JobContext & { llm: TLlmConfig | null },
  principal: Principal,
  sessionId: string,
  input: { message: string } | { prompt: string },
): Promise<TDraftSession> {
  const session = await context.db.draftSession.findFirst({
    where: { id: sessionId, userId: principal.userId },
    select: {
      id: true,
      prompt: true,
      _count: { select: { turns: true } },
      // The latest turn's model is the session's (sessionModel).
      turns: { orderBy: { index: "desc" }, take: 1, select: { job: { select: { modelId: true } } } },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "No such draft session.");
  const current = parseOrThrow(session.prompt);
  const model = await sessionModel(context, session.turns[0]?.job?.modelId);

  let next: TPromptRecipe;
  let changes: TRewriteResult["changes"] = [];
  let source: TDraftTurn["source"];
  let message: string;
  if ("prompt" in input) {
    next = parseOrThrow(input.prompt);
    source = "prompt";
    message = input.prompt;
  } else {
    const vocabulary = await draftVocabularyFor(context, model);
    const rewrite = context.llm ? await rewriteWithLlm(current, input.message, context.llm, { vocabulary }) : rewritePrompt(current, input.message, { vocabulary });
    if (!rewrite.understood) throw new AppError("BAD_REQUEST", rewrite.message ?? "I couldn't tell what to change.");
    next = ZPromptRecipe.parse(rewrite.recipe);
    changes = rewrite.changes;
    source = rewrite.source;
    message = input.message;
  }
  const job = await draftJob(context, principal, next, model);
  await context.db.$transaction([
    context.db.draftTurn.create({
      data: { sessionId, index: session._count.turns, message, prompt: asDraft(next), changes, source, jobId: job.id },
    }),
    context.db.draftSession.update({ where: { id: sessionId }, data: { prompt: asDraft(next) } }),
  ]);
  return getDraftSession(context, principal.userId, sessionId);
}

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
        select: { id: true, index: true, message: true, prompt: true, changes: true, source: true, createdAt: true, job: { select: JOB_VIEW_SELECT } },
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
  return {
    id: session.id,
    title: session.title,
    prompt: session.prompt,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    turns: session.turns.map((turn) => ({
      id: turn.id,
      index: turn.index,
      message: turn.message,
      prompt: turn.prompt,
      changes: Array.isArray(turn.changes) ? (turn.changes as TDraftTurn["changes"]) : [],
      source: turn.source as TDraftTurn["source"],
      job: turn.job ? toJobView(turn.job) : null,
      followUps: followUps.filter((job) => job.parentImage?.jobId === turn.job?.id).map(toJobView),
      createdAt: turn.createdAt.toISOString(),
    })),
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
