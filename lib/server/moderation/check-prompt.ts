import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TJobSource } from "@/lib/jobs/model";
import { recordAudit } from "@/lib/server/audit/record";
import { compilePolicy, findBlockedTerm } from "./fold-terms";
import { STUDIO_SCOPE } from "./prompt-policy";

/** What the user reads: names the policy, not the term, and never repeats the prompt. */
export const PROMPT_REFUSED_MESSAGE =
  "Refused by this studio's prompt policy: the text contains a word or phrase the studio does not allow. Change the wording and try again. Nothing was charged.";

/** Where the refused text came in: a job's door (the studio or a protocol), or a Draft follow-up message. */
export type TPromptSource = TJobSource | "draft";

/**
 * Checks texts against the prompt policy before anything is queued or
 * charged. A match is written to the audit log (with the policy term, not
 * the prompt) and refused with a 403 naming the policy. Read from Postgres
 * on every check, so an admin's edit applies at once in every process.
 */
export async function assertPromptAllowed(db: Db, input: { userId: string; texts: readonly string[]; source: TPromptSource }): Promise<void> {
  const row = await db.promptPolicy.findUnique({ where: { scope: STUDIO_SCOPE }, select: { terms: true } });
  if (!row || row.terms.length === 0) return;
  const policy = compilePolicy(row.terms);
  for (const text of input.texts) {
    const term = findBlockedTerm(policy, text);
    if (term === null) continue;
    await recordAudit(db, { kind: "moderation.prompt_refused", actor: { userId: input.userId }, detail: { source: input.source, term, policy: STUDIO_SCOPE } });
    throw new AppError("FORBIDDEN", PROMPT_REFUSED_MESSAGE);
  }
}

/** The texts of a job that reach the model: its prompt and, when it has one, its negative prompt (`--no`). */
export function jobPromptTexts(job: { prompt: string; params: object }): string[] {
  const negative = "negativePrompt" in job.params && typeof job.params.negativePrompt === "string" ? job.params.negativePrompt : "";
  return negative ? [job.prompt, negative] : [job.prompt];
}
