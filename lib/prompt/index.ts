// The prompt language: text in the imagine bar ⇄ the normalised recipe jobs store.
export { ZPromptRecipe, PROMPT_LIMITS, type TPromptRecipe, type TPromptSettings } from "./recipe";
export { parsePrompt, type TPromptError, type TParseOptions, type TParseResult } from "./parse";
export { formatPrompt } from "./format";
export { PROMPT_PARAMETERS } from "./parameters";
