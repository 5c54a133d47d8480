import { PARAMETER_SPECS } from "./parameters";
import type { TPromptRecipe } from "./recipe";

/**
 * Canonical text for a recipe: the prompt, then every parameter that differs
 * from its default, in the table's fixed order and with canonical names. This is
 * what "use prompt" puts back in the imagine bar; parsePrompt of it gives the
 * recipe back unchanged (a property the tests check).
 */
export function formatPrompt(recipe: TPromptRecipe): string {
  const parameters = PARAMETER_SPECS.map((spec) => spec.format(recipe)).filter((text) => text !== null);
  // Parameters Mirage does not apply are kept as typed, so "use prompt" gives back what was pasted.
  const ignored = recipe.ignored.map(({ name, value }) => (value ? `${name} ${value}` : name));
  return [recipe.prompt, ...parameters, ...ignored].join(" ");
}
