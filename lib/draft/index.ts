// Draft mode's conversational prompt rewriter: plain-language follow-ups
// ("make the house red", "no clouds", "make it wide") → the next recipe.
// rewritePrompt is the deterministic rules; rewriteWithLlm asks an
// OpenAI-compatible endpoint and falls back to the rules on any failure.
export { rewritePrompt, UNKNOWN_MESSAGE, REWRITE_INTERNAL_ERROR_MESSAGE, type TClarification, type TEditIntent, type TRewriteOptions, type TRewriteResult } from "./rewrite";
export { rewriteWithLlm, DEFAULT_LLM_TIMEOUT_MS, type TLlmConfig, type TLlmRewriteOptions } from "./llm-rewriter";
export {
  DEFAULT_DRAFT_VOCABULARY, draftVocabularyFrom, type TAspectWord, type TBackground, type TBackgroundSlot, type TDraftVocabulary, type TPole, type TPosition, type TSize, type TStyleAxis,
} from "./vocabulary";
export { diffWords } from "./diff";
