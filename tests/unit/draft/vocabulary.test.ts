import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffWords, MIRAGE_VOCABULARY, rewritePrompt, type TDraftVocabulary } from "@/lib/draft";
import { parsePrompt, type TPromptRecipe } from "@/lib/prompt";

function recipeOf(text: string): TPromptRecipe {
  const parsed = parsePrompt(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.recipe;
}

// The model manifest another engineer's training run writes; read only here, never by the library.
const MANIFEST = new URL("../../../models/mirage-tiny/mirage.json", import.meta.url);

interface TManifest {
  style_axes: Array<{ id: string; negative: string; positive: string }>;
  vocabulary: { subjects: string[]; colours: string[]; sizes: string[]; positions: string[]; backgrounds: string[] };
}

describe("MIRAGE_VOCABULARY", () => {
  it("writes each style pole with the phrase it also recognises", () => {
    for (const axis of MIRAGE_VOCABULARY.styleAxes) {
      for (const pole of ["negative", "positive"] as const) {
        expect(axis.aliases[pole]).toContain(axis.phrases[pole]);
        const result = rewritePrompt(recipeOf("a red house"), axis.phrases[pole]);
        expect(result.prompt).toBe(`a red house, ${axis.phrases[pole]}`);
      }
    }
  });

  it("writes each background with a phrase it recognises as that background", () => {
    for (const background of MIRAGE_VOCABULARY.backgrounds) {
      expect(background.aliases).toContain(background.phrase);
      const result = rewritePrompt(recipeOf("a red house"), background.words[0] ?? "");
      expect(result.prompt).toBe(`a red house, ${background.phrase}`);
    }
  });

  it("moves to every position", () => {
    for (const position of MIRAGE_VOCABULARY.positions) {
      expect(rewritePrompt(recipeOf("a red house"), `move it to the ${position.id}`).prompt).toBe(`a red house ${position.phrase}`);
    }
  });

  it.skipIf(!existsSync(MANIFEST))("covers the world of the trained mirage-tiny model (models/mirage-tiny/mirage.json)", () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as TManifest;
    for (const axis of manifest.style_axes) {
      const ours = MIRAGE_VOCABULARY.styleAxes.find((candidate) => candidate.id === axis.id);
      expect(ours?.phrases).toEqual({ negative: axis.negative, positive: axis.positive });
    }
    expect(MIRAGE_VOCABULARY.subjects).toEqual(expect.arrayContaining(manifest.vocabulary.subjects));
    expect(MIRAGE_VOCABULARY.colours).toEqual(expect.arrayContaining(manifest.vocabulary.colours));
    expect(MIRAGE_VOCABULARY.positions.map((position) => position.id)).toEqual(expect.arrayContaining(manifest.vocabulary.positions));
    expect(MIRAGE_VOCABULARY.backgrounds.map((background) => background.id)).toEqual(expect.arrayContaining(manifest.vocabulary.backgrounds));
    for (const size of manifest.vocabulary.sizes) expect(MIRAGE_VOCABULARY.sizes.map((entry) => entry.value)).toContain(size);
  });
});

describe("rewritePrompt with another model's vocabulary", () => {
  // A made-up model whose captions say "pastel"/"neon" and whose only backgrounds are "in a city" and "in space".
  const OTHER: TDraftVocabulary = {
    ...MIRAGE_VOCABULARY,
    backgrounds: [
      { id: "city", slot: "ground", phrase: "in a neon city", aliases: ["in a neon city", "in a city"], words: ["city", "in a city", "downtown"] },
      { id: "space", slot: "ground", phrase: "in outer space", aliases: ["in outer space", "in space"], words: ["space", "in space", "outer space"] },
    ],
    styleAxes: [
      {
        id: "palette",
        intent: "style",
        phrases: { negative: "pastel palette", positive: "neon palette" },
        aliases: { negative: ["pastel palette"], positive: ["neon palette"] },
        words: { negative: ["pastel", "softer"], positive: ["neon", "louder"] },
      },
    ],
  };

  it("uses that model's phrases", () => {
    const start = recipeOf("a robot, in a city, pastel palette --seed 1");
    expect(rewritePrompt(start, "louder", { vocabulary: OTHER }).prompt).toBe("a robot, in a city, neon palette --seed 1");
    expect(rewritePrompt(start, "downtown", { vocabulary: OTHER }).prompt).toBe("a robot, in a neon city, pastel palette --seed 1");
    expect(rewritePrompt(start, "outer space", { vocabulary: OTHER }).prompt).toBe("a robot, in outer space, pastel palette --seed 1");
    // mirage-tiny's words mean nothing to it...
    expect(rewritePrompt(start, "more muted", { vocabulary: OTHER }).understood).toBe(false);
    // ...and the default vocabulary is mirage-tiny's.
    expect(rewritePrompt(start, "more muted").prompt).toBe("a robot, in a city, pastel palette, muted colours --seed 1");
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
