import { AppError } from "@/lib/errors";
import { parsePrompt, type TPromptRecipe } from "@/lib/prompt";

/**
 * Remix (docs/editor.md §8): the new prompt's words and --no replace the
 * old ones; every other part of the recipe (size, seed rules, stylize…) is
 * kept, because the job still starts from the same image. A prompt that does
 * not parse is a 400 naming the problem.
 */
export function remixRecipe(recipe: TPromptRecipe, prompt: string, maxRepeat: number): TPromptRecipe {
  const parsed = parsePrompt(prompt, { maxRepeat });
  if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.error.message);
  return { ...recipe, prompt: parsed.recipe.prompt, negativePrompt: parsed.recipe.negativePrompt };
}
