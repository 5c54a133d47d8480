import { describe, expect, it } from "vitest";
import { composePrompt, DEFAULT_SETTINGS, typedParameters } from "@/components/create/settings";
import { parsePrompt } from "@/lib/prompt";

function sent(text: string, settings = DEFAULT_SETTINGS) {
  const composed = composePrompt(text, settings);
  if (!composed.ok) throw new Error(composed.message);
  const parsed = parsePrompt(composed.prompt);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.recipe;
}

describe("typed parameters win over the settings panel (issue 19)", () => {
  const panel = { ...DEFAULT_SETTINGS, aspect: "16:9", stylize: 500, chaos: 40, mode: "relax" as const, draft: true };

  it("a typed value equal to the default still wins", () => {
    const recipe = sent("a red house --ar 1:1 --s 100 --c 0 --fast", panel);
    expect(recipe.aspectRatio).toEqual({ width: 1, height: 1 });
    expect(recipe.stylize).toBe(100);
    expect(recipe.chaos).toBe(0);
    expect(recipe.mode).toBe("fast");
  });

  it("aliases count as typed (--aspect, --stylize, --chaos)", () => {
    const recipe = sent("a red house --aspect 1:1 --stylize 100 --chaos 0", panel);
    expect([recipe.aspectRatio, recipe.stylize, recipe.chaos]).toEqual([{ width: 1, height: 1 }, 100, 0]);
  });

  it("the panel fills in what the text does not set", () => {
    const recipe = sent("a red house", panel);
    expect([recipe.aspectRatio, recipe.stylize, recipe.chaos, recipe.mode, recipe.draft]).toEqual([{ width: 16, height: 9 }, 500, 40, "relax", true]);
  });

  it("finds parameters only where the prompt language starts one", () => {
    expect([...typedParameters("a well-known house --AR 2:3 —s 50, --c 5")].sort()).toEqual(["--ar", "--chaos", "--stylize"]);
    expect(typedParameters("a house with a fence--ar 1:1").size).toBe(0);
  });
});
