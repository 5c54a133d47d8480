import type { CatalogModel } from "@/lib/models/catalog";
import type { TPromptRecipe } from "@/lib/prompt";

/**
 * `--v N` / `--niji [N]` → the installed model whose mirage.json lists that
 * alias (docs/prompt-language.md §8). An explicit model choice (the API's
 * `model`) wins. With no model answering the alias, the default runs and the
 * recipe lists the parameter as ignored, so the user sees why.
 */
export function modelForAlias(
  models: readonly CatalogModel[],
  recipe: TPromptRecipe,
  explicitModel: string | undefined,
): { modelId: string | undefined; ignored: TPromptRecipe["ignored"] } {
  const alias = recipe.modelAlias;
  if (alias === null || explicitModel !== undefined) return { modelId: explicitModel, ignored: [] };
  const match = models.find((model) => model.aliases.includes(alias));
  if (match) return { modelId: match.id, ignored: [] };
  const niji = alias.startsWith("niji");
  const name = niji ? "--niji" : "--v";
  const value = niji ? alias.slice(4) : alias.slice(1);
  return { modelId: undefined, ignored: [{ name, value, reason: `no model on this studio is set up as ${name}${value ? ` ${value}` : ""}; the default model made the image` }] };
}
