import { z } from "zod";
import { safeText } from "./common";

/** At most this many blocked terms, each at most MAX_TERM_LENGTH characters. */
export const MAX_POLICY_TERMS = 1000;
export const MAX_TERM_LENGTH = 100;

/** A blocked word or phrase, as the admin typed it (matching folds case, accents and look-alike characters). */
export const ZPolicyTerm = safeText("term", MAX_TERM_LENGTH).refine((term) => /[\p{L}\p{N}@$]/u.test(term), {
  error: "a term must contain a letter or digit",
});

export const ZPromptPolicy = z
  .object({
    terms: z.array(z.string()),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "PromptPolicy" });
export type TPromptPolicy = z.infer<typeof ZPromptPolicy>;

export const ZUpdatePromptPolicyRequest = z.strictObject({
  terms: z.array(ZPolicyTerm).max(MAX_POLICY_TERMS, { error: `at most ${MAX_POLICY_TERMS} terms` }),
});
