import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DRAFT_VOCABULARY, diffWords, draftVocabularyFrom, rewritePrompt, type TDraftVocabulary } from "@/lib/draft";
import { createLogger } from "@/lib/log";
import { readModelManifest } from "@/lib/models/manifest";
import { parsePrompt, type TPromptRecipe } from "@/lib/prompt";
import { draftVocabularyFor } from "@/lib/server/draft/vocabulary";
import { MIRAGE_TINY } from "./mirage-tiny";

function recipeOf(text: string): TPromptRecipe {
  const parsed = parsePrompt(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.recipe;
}

/** A folder of fixture models that have only a manifest: robot-world's Draft section says "pastel"/"neon", "in a city"/"in space". */
const FIXTURE_MODELS = path.resolve(import.meta.dirname, "../../fixtures/draft");
const log = createLogger("test", "silent");

describe.each<[string, TDraftVocabulary]>([
  ["mirage-tiny's manifest", MIRAGE_TINY],
  ["the generic default", DEFAULT_DRAFT_VOCABULARY],
])("the vocabulary of %s", (_name, vocabulary) => {
  it("writes each style pole with the phrase it also recognises", () => {
    for (const axis of vocabulary.styleAxes) {
      for (const pole of ["negative", "positive"] as const) {
        expect(axis.aliases[pole]).toContain(axis.phrases[pole]);
        const result = rewritePrompt(recipeOf("a red house"), axis.phrases[pole], { vocabulary });
        expect(result.prompt).toBe(`a red house, ${axis.phrases[pole]}`);
      }
    }
  });

  it("writes each background with a phrase it recognises as that background", () => {
    for (const background of vocabulary.backgrounds) {
      expect(background.aliases).toContain(background.phrase);
      const result = rewritePrompt(recipeOf("a red house"), background.words[0] ?? "", { vocabulary });
      expect(result.prompt).toBe(`a red house, ${background.phrase}`);
    }
  });

  it("moves to every position", () => {
    for (const position of vocabulary.positions) {
      expect(rewritePrompt(recipeOf("a red house"), `move it to the ${position.id}`, { vocabulary }).prompt).toBe(`a red house ${position.phrase}`);
    }
  });
});

describe("mirage-tiny's Draft vocabulary", () => {
  it("covers the world the model was trained on and writes its style axes' phrases", async () => {
    const manifest = (await readModelManifest("models/mirage-tiny"))!.manifest;
    for (const axis of manifest.style_axes!) {
      const ours = MIRAGE_TINY.styleAxes.find((candidate) => candidate.id === axis.id);
      expect(ours?.phrases).toEqual({ negative: axis.negative, positive: axis.positive });
    }
    const trained = manifest.vocabulary!;
    expect(MIRAGE_TINY.subjects).toEqual(expect.arrayContaining(trained.subjects!));
    expect(MIRAGE_TINY.colours).toEqual(expect.arrayContaining(trained.colours!));
    expect(MIRAGE_TINY.positions.map((position) => position.id)).toEqual(expect.arrayContaining(trained.positions!));
    expect(MIRAGE_TINY.backgrounds.map((background) => background.id)).toEqual(expect.arrayContaining(trained.backgrounds!));
    for (const size of trained.sizes!) expect(MIRAGE_TINY.sizes.map((entry) => entry.value)).toContain(size);
  });

  it("is not the generic default: the model's own phrasings win", () => {
    const night = recipeOf("a red house");
    expect(rewritePrompt(night, "make it night", { vocabulary: MIRAGE_TINY }).prompt).toBe("a red house, under a night sky with stars");
    expect(rewritePrompt(night, "make it night").prompt).toBe("a red house, under a starry night sky");
    expect(rewritePrompt(night, "more muted", { vocabulary: MIRAGE_TINY }).prompt).toBe("a red house, muted colours");
    expect(rewritePrompt(night, "more muted").prompt).toBe("a red house, muted desaturated colours");
  });
});

describe("a model whose manifest has a different Draft vocabulary", () => {
  it("changes what the rewriter recognises and writes", async () => {
    const other = await draftVocabularyFor({ modelsDir: FIXTURE_MODELS, log }, "robot-world");
    const start = recipeOf("a robot, in a city, pastel palette --seed 1");
    expect(rewritePrompt(start, "louder", { vocabulary: other }).prompt).toBe("a robot, in a city, neon palette --seed 1");
    expect(rewritePrompt(start, "downtown", { vocabulary: other }).prompt).toBe("a robot, in a neon city, pastel palette --seed 1");
    expect(rewritePrompt(start, "outer space", { vocabulary: other }).prompt).toBe("a robot, in outer space, pastel palette --seed 1");
    expect(rewritePrompt(recipeOf("a drone"), "make it chrome", { vocabulary: other }).prompt).toBe("a chrome drone");
    // mirage-tiny's words mean nothing to it...
    expect(rewritePrompt(start, "more muted", { vocabulary: other }).understood).toBe(false);
    // ...and a place it has no table for is written as said, not in mirage-tiny's phrasing.
    expect(rewritePrompt(start, "at sunset", { vocabulary: other }).prompt).toBe("a robot, in a city, at sunset, pastel palette --seed 1");
    expect(rewritePrompt(start, "at sunset", { vocabulary: MIRAGE_TINY }).prompt).toBe("a robot, in a city, pastel palette, under a sunset sky --seed 1");
    // mirage-tiny knows its own words and not the robot's.
    expect(rewritePrompt(start, "more muted", { vocabulary: MIRAGE_TINY }).prompt).toBe("a robot, in a city, pastel palette, muted colours --seed 1");
    expect(rewritePrompt(start, "louder", { vocabulary: MIRAGE_TINY }).understood).toBe(false);
  });

  it("keeps the generic tables the manifest leaves out (sizes, positions, aspects)", () => {
    const other = draftVocabularyFrom({ subjects: ["robot"] });
    expect(other.subjects).toEqual(["robot"]);
    expect(other.sizes).toBe(DEFAULT_DRAFT_VOCABULARY.sizes);
    expect(other.styleAxes).toBe(DEFAULT_DRAFT_VOCABULARY.styleAxes);
    expect(draftVocabularyFrom(undefined)).toBe(DEFAULT_DRAFT_VOCABULARY);
  });

  it("falls back to the generic default for a model without a manifest, an unknown model or an id outside MODELS_DIR", async () => {
    expect(await draftVocabularyFor({ modelsDir: FIXTURE_MODELS, log }, "not-installed")).toBe(DEFAULT_DRAFT_VOCABULARY);
    expect(await draftVocabularyFor({ modelsDir: FIXTURE_MODELS, log }, "../draft/robot-world")).toBe(DEFAULT_DRAFT_VOCABULARY);
  });
});

describe("diffWords", () => {
  it.each<[string, string, ReturnType<typeof diffWords>]>([
    ["a red house", "a red house", []],
    ["a red house", "a blue house", [{ kind: "replaced", text: "red", with: "blue" }]],
    ["a red house", "a red house and a moon", [{ kind: "added", text: "and a moon" }]],
    ["a star over a boat at sea", "a boat at sea", [{ kind: "removed", text: "a star over" }]],
    ["a cat on a fence", "an owl on a fence", [{ kind: "replaced", text: "a cat", with: "an owl" }]],
    ["a red house, muted colours", "a red house, vivid colours, at night", [{ kind: "replaced", text: "muted colours", with: "vivid colours, at night" }]],
  ])("%j → %j", (before, after, changes) => {
    expect(diffWords(before, after)).toEqual(changes);
  });
});
