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

/** The refusal when the term is one of the user's team's own (docs/teams.md): names the team's policy, not the term. */
export function teamPromptRefusedMessage(teamName: string): string {
  return `Refused by your team's prompt policy (${teamName}): the text contains a word or phrase your team does not allow. Change the wording and try again. Nothing was charged.`;
}

/**
 * Checks texts against the prompt policy before anything is queued or
 * charged: the studio's terms and, for a member of a team, the team's own
 * (PromptPolicy scope "team:<id>"). A match is written to the audit log
 * (with the policy and term, not the prompt) and refused with a 403 naming
 * the policy that refused it. Read from Postgres on every check, in one
 * statement, so an admin's edit applies at once in every process.
 */
export async function assertPromptAllowed(db: Db, input: { userId: string; texts: readonly string[]; source: TPromptSource }): Promise<void> {
  const rows = await db.$queryRaw<Array<{ scope: string; terms: string[]; team_name: string | null }>>`
    SELECT p.scope, p.terms, NULL::text AS team_name FROM "prompt_policy" p WHERE p.scope = ${STUDIO_SCOPE} AND cardinality(p.terms) > 0
    UNION ALL
    SELECT p.scope, p.terms, t.name FROM "team_member" m JOIN "team" t ON t.id = m."teamId" JOIN "prompt_policy" p ON p.scope = 'team:' || t.id
     WHERE m."userId" = ${input.userId} AND cardinality(p.terms) > 0`;
  if (rows.length === 0) return;
  // The studio's policy first: when both would refuse, the studio's is the one named.
  const policies = rows.sort((a, b) => Number(b.scope === STUDIO_SCOPE) - Number(a.scope === STUDIO_SCOPE)).map((row) => ({ ...row, compiled: compilePolicy(row.terms) }));
  for (const text of input.texts) {
    for (const policy of policies) {
      const term = findBlockedTerm(policy.compiled, text);
      if (term === null) continue;
      await recordAudit(db, { kind: "moderation.prompt_refused", actor: { userId: input.userId }, detail: { source: input.source, term, policy: policy.scope } });
      throw new AppError("FORBIDDEN", policy.team_name === null ? PROMPT_REFUSED_MESSAGE : teamPromptRefusedMessage(policy.team_name));
    }
  }
}

/** The texts of a job that reach the model: its prompt and, when it has one, its negative prompt (`--no`). */
export function jobPromptTexts(job: { prompt: string; params: object }): string[] {
  const negative = "negativePrompt" in job.params && typeof job.params.negativePrompt === "string" ? job.params.negativePrompt : "";
  return negative ? [job.prompt, negative] : [job.prompt];
}
