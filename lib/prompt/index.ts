// The prompt language: text in the imagine bar ⇄ the normalised recipe that jobs store.
//
//   prompt text --param value --flag --param value ...
//
// - A parameter is `--name` (or `—name` / `–name`, autocorrected dashes) at the
//   start, after a space or after a comma, with a letter right after the dashes;
//   any other dashes are prompt text. Names are case-insensitive.
// - The prompt is the text before the first parameter; each parameter's value is
//   the text up to the next one (so text typed after a flag is an error, as in
//   Midjourney).
// - Whitespace of any kind collapses to one space, text is NFC; tab/CR/LF count
//   as whitespace, other control characters and broken surrogates are rejected.
// - Pipeline: text.ts (normalise) → tokenize.ts → parameters.ts (one validator
//   per parameter, built from spec.ts) → recipe.ts (schema); format.ts inverts it.
export { ZPromptRecipe, PROMPT_LIMITS, type TPromptRecipe, type TPromptSettings } from "./recipe";
export { parsePrompt, type TPromptError, type TParseOptions, type TParseResult } from "./parse";
export { formatPrompt } from "./format";
export { PROMPT_PARAMETERS } from "./parameters";
export { multiPromptParts, type TPromptPart } from "./multi-prompt";
export { expandPermutations, MAX_PERMUTATIONS, type TExpansion } from "./permutations";
