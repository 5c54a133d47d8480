// mirage-tiny's Draft vocabulary, read from its manifest the way the Draft
// service reads it (the rewriter tables live in models/mirage-tiny/mirage.json),
// and the rewriter bound to it: most rewrite tests are about that model's words.
import { draftVocabularyFrom, rewritePrompt, type TDraftVocabulary, type TRewriteResult } from "@/lib/draft";
import { readModelManifest } from "@/lib/models/manifest";
import type { TPromptRecipe } from "@/lib/prompt";

const read = await readModelManifest(new URL("../../../models/mirage-tiny", import.meta.url).pathname);
if (!read?.manifest.draft) throw new Error(`models/mirage-tiny/mirage.json has no valid draft section: ${read?.problems.draft ?? "no manifest"}`);

export const MIRAGE_TINY: TDraftVocabulary = draftVocabularyFrom(read.manifest.draft);

export function rewriteTiny(current: TPromptRecipe, utterance: string): TRewriteResult {
  return rewritePrompt(current, utterance, { vocabulary: MIRAGE_TINY });
}
