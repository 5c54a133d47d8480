import { describe, expect, it } from "vitest";
import type { CatalogModel } from "@/lib/models/catalog";
import { formatPrompt, parsePrompt, type TPromptRecipe } from "@/lib/prompt";
import { modelForAlias } from "@/lib/server/jobs/model-alias";

function recipe(input: string): TPromptRecipe {
  const parsed = parsePrompt(input);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.recipe;
}

const model = (id: string, aliases: string[]): CatalogModel => ({ id, name: id, sizes: {}, hasUpscaler: false, hasDescriber: false, aliases, words: null });
const MODELS = [model("mirage-tiny", ["v7"]), model("anime-xl", ["niji", "niji6"]), model("classic", ["v6.1"])];

describe("--v / --niji → model alias", () => {
  it("picks the model whose manifest lists the alias", () => {
    expect(modelForAlias(MODELS, recipe("a cat --niji"), undefined)).toEqual({ modelId: "anime-xl", ignored: [] });
    expect(modelForAlias(MODELS, recipe("a cat --niji 6"), undefined)).toEqual({ modelId: "anime-xl", ignored: [] });
    expect(modelForAlias(MODELS, recipe("a cat --v 6.1"), undefined)).toEqual({ modelId: "classic", ignored: [] });
  });

  it("leaves the choice alone without an alias, or when the request names a model", () => {
    expect(modelForAlias(MODELS, recipe("a cat --v 7"), undefined)).toEqual({ modelId: undefined, ignored: [] });
    expect(modelForAlias(MODELS, recipe("a cat --niji"), "classic")).toEqual({ modelId: "classic", ignored: [] });
  });

  it("runs the default model and lists the parameter as ignored when no model answers it; the prompt still formats back", () => {
    const asked = recipe("a cat --niji 5");
    const { modelId, ignored } = modelForAlias(MODELS, asked, undefined);
    expect(modelId).toBeUndefined();
    expect(ignored).toEqual([{ name: "--niji", value: "5", reason: expect.stringMatching(/no model on this studio is set up as --niji 5/) }]);
    expect(formatPrompt({ ...asked, modelAlias: null, ignored })).toBe("a cat --niji 5");
  });
});
