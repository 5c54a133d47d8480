import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { promptLanguageParams } from "@/lib/jobs/kinds/imagine";
import { expandPermutations, formatPrompt, multiPromptParts, parsePrompt, ZPromptRecipe } from "@/lib/prompt";
import { findParameter } from "@/lib/prompt/parameters";
import { normaliseText } from "@/lib/prompt/text";
import { tokenize } from "@/lib/prompt/tokenize";

/**
 * The corpus: prompts of the kinds Midjourney guides and galleries show
 * (tests/fixtures/prompts). Every one must parse, and every parameter in it
 * must be either applied (a parameter Mirage reads, reflected in the recipe
 * and the job's params) or listed as ignored with a reason.
 */
const CORPUS = readFileSync(path.join(import.meta.dirname, "../../fixtures/prompts/midjourney-prompts.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"));

describe("Midjourney prompt corpus", () => {
  it("has at least 200 prompts", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  it("parses every prompt (permutations expanded) with 0 errors; each parameter is applied or listed as ignored", () => {
    const errors: string[] = [];
    let parameters = 0;
    let ignored = 0;
    for (const line of CORPUS) {
      const expansion = expandPermutations(line);
      if (!expansion.ok) {
        errors.push(`${line}: ${expansion.message}`);
        continue;
      }
      for (const prompt of expansion.prompts) {
        const parsed = parsePrompt(prompt);
        if (!parsed.ok) {
          errors.push(`${prompt}: ${parsed.error.message}`);
          continue;
        }
        const { recipe } = parsed;
        expect(ZPromptRecipe.parse(recipe)).toEqual(recipe);
        expect(parsePrompt(formatPrompt(recipe))).toEqual({ ok: true, recipe });
        for (const { name } of tokenize(normaliseText(prompt)).parameters) {
          parameters++;
          if (findParameter(name)) continue;
          ignored++;
          const listed = recipe.ignored.find((entry) => entry.name === `--${name}`);
          expect(listed?.reason, `${prompt}: --${name} neither applied nor listed as ignored`).toBeTruthy();
        }
        // What the recipe says reaches the job.
        const params = promptLanguageParams(recipe);
        expect(params.stepScale ?? 1).toBe(recipe.quality);
        expect(params.stop ?? 100).toBe(recipe.stop);
        expect(params.tile ?? false).toBe(recipe.tile);
        expect(params.weird ?? 0).toBe(recipe.weird);
        expect(params.exp ?? 0).toBe(recipe.exp);
        const multi = multiPromptParts(recipe.prompt, recipe.negativePrompt);
        expect(params.promptParts ?? null).toEqual(multi.ok ? multi.parts : "refused");
      }
    }
    expect(errors).toEqual([]);
    console.log(`${CORPUS.length} corpus prompts: ${parameters} parameters, ${ignored} listed as ignored`);
  });

  it("reads the typed forms people paste: en and em dashes, smart quotes, line breaks", () => {
    const parsed = parsePrompt("“a whisper” of the sea\n–ar 16:9\r\n—s 200 –style raw");
    expect(parsed).toMatchObject({ ok: true, recipe: { prompt: "“a whisper” of the sea", aspectRatio: { width: 16, height: 9 }, stylize: 200, raw: true } });
  });

  it("reads multi-prompt parts with their weights, --no counting as −0.5", () => {
    expect(multiPromptParts("cat::2 dog::-0.5")).toEqual({ ok: true, parts: [{ text: "cat", weight: 2 }, { text: "dog", weight: -0.5 }] });
    expect(multiPromptParts("space:: ship")).toEqual({ ok: true, parts: [{ text: "space", weight: 1 }, { text: "ship", weight: 1 }] });
    expect(multiPromptParts("a castle::2", "clouds")).toEqual({ ok: true, parts: [{ text: "a castle", weight: 2 }, { text: "clouds", weight: -0.5 }] });
    expect(multiPromptParts("a castle")).toEqual({ ok: true, parts: null });
  });
});
