import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UNKNOWN_MESSAGE, type TEditIntent } from "@/lib/draft";
import { formatPrompt, parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import { rewriteTiny } from "./mirage-tiny";

function recipeOf(text: string): TPromptRecipe {
  const parsed = parsePrompt(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.recipe;
}

const WOOKIE = "a Wookie dressed up like a samurai";
const WOOKIE_ARMED = "a Wookie dressed up like a samurai, holding a blue lightsaber";
const HOUSE = "a large red house on the left, under a sunset sky, muted colours";
const BOAT = "a star over a boat at sea --ar 16:9 --seed 3 --draft";
const CIRCLE = "a red circle --ar 2:3 --s 250 --c 20 --seed 42 --no text --draft --r 4";

/** Draft mode's example session (tests/fixtures/draft/example-session.json): an opening prompt and two follow-ups. */
const EXAMPLE = JSON.parse(readFileSync(new URL("../../fixtures/draft/example-session.json", import.meta.url), "utf8")) as {
  prompt: string;
  followUps: string[];
  expected: string;
};
const OVERVIEW_UTTERANCES = EXAMPLE.followUps;
const OVERVIEW_PROMPT = EXAMPLE.prompt;

/** [starting prompt (with parameters), utterance, expected prompt, expected intents] */
const TABLE: Array<[string, string, string, TEditIntent[]]> = [
  // Examples from the product overview, the V7 facts and issue 7
  [WOOKIE, "Can the Wookie be holding a blue lightsaber?", "a Wookie dressed up like a samurai, holding a blue lightsaber", ["add"]],
  [WOOKIE_ARMED, "Can the Wookie be standing on a spaceship?", "a Wookie dressed up like a samurai, holding a blue lightsaber, standing on a spaceship", ["background"]],
  [WOOKIE, "Can the Wookie be standing on a spaceship?", "a Wookie dressed up like a samurai, standing on a spaceship", ["background"]],
  ["a cat on a fence", "swap the cat for an owl", "an owl on a fence", ["replace"]],
  [WOOKIE, "make it night", "a Wookie dressed up like a samurai, under a night sky with stars", ["background"]],
  ["a blue house", "make the house red", "a red house", ["change-attribute"]],
  ["a red house", "add a moon", "a red house and a moon", ["add"]],
  ["a red house", "make it bigger", "a large red house", ["change-attribute"]],
  [WOOKIE, "put it on a spaceship", "a Wookie dressed up like a samurai, on a spaceship", ["background"]],
  ["a red house, under a sunset sky", "make it night", "a red house, under a night sky with stars", ["background"]],
  ["a red house", "at sunset", "a red house, under a sunset sky", ["background"]],
  ["a red house", "on the snow", "a red house, in the snow", ["background"]],
  ["a red house under a cloud", "no clouds", "a red house", ["remove"]],
  ["a red house", "no clouds", "a red house --no clouds", ["remove"]],
  ["a red house and a green tree", "remove the tree", "a red house", ["remove"]],
  ["a red house and a yellow sun at the top", "without the sun", "a red house", ["remove"]],
  ["a red house", "more muted", "a red house, muted colours", ["style"]],
  ["a red house", "ink outline", "a red house, ink outline", ["style"]],
  ["a red house", "make it darker", "a red house, dark palette", ["style"]],
  ["a red house", "warmer", "a red house, warm tones", ["style"]],
  ["a red house, detailed", "less detailed", "a red house, minimal", ["style"]],
  ["a red house, muted colours", "more vivid", "a red house, vivid colours", ["style"]],
  ["a red house", "move it to the left", "a red house on the left", ["composition"]],
  ["a star over a boat at sea", "put the boat at the top", "a star over a boat at the top at sea", ["composition"]],
  ["a red house on the left", "centre it", "a red house in the centre", ["composition"]],
  ["a red house", "make it wide", "a red house --ar 16:9", ["aspect"]],
  ["a red house", "make it tall", "a red house --ar 9:16", ["aspect"]],
  ["a red house", "portrait", "a red house --ar 2:3", ["aspect"]],
  ["a red house --ar 16:9", "square", "a red house", ["aspect"]],
  // Other subjects from the overview
  ["a dog wearing sunglasses", "can the dog be wearing a hat?", "a dog wearing a hat", ["add"]],
  ["a samurai standing in front of Mount Fuji", "make it at sunset", "a samurai standing in front of Mount Fuji, under a sunset sky", ["background"]],
  // Attributes: colour and size, replaced not duplicated
  [HOUSE, "make the house blue", "a large blue house on the left, under a sunset sky, muted colours", ["change-attribute"]],
  [HOUSE, "make it smaller", "a small red house on the left, under a sunset sky, muted colours", ["change-attribute"]],
  [HOUSE, "make the house bigger", "a large red house on the left, under a sunset sky, muted colours", ["change-attribute"]],
  ["a red circle", "make it dark blue", "a dark blue circle", ["change-attribute"]],
  ["a fluffy wookie", "make the wookie brown", "a fluffy brown wookie", ["change-attribute"]],
  [WOOKIE, "make the wookie smaller", "a small Wookie dressed up like a samurai", ["change-attribute"]],
  ["a small green tree and a red house", "could you please make the tree yellow?", "a small yellow tree and a red house", ["change-attribute"]],
  ["an orange fish", "make it blue", "a blue fish", ["change-attribute"]],
  // Backgrounds and settings
  [HOUSE, "at night", "a large red house on the left, under a night sky with stars, muted colours", ["background"]],
  [HOUSE, "on the snow", "a large red house on the left, under a sunset sky, in the snow, muted colours", ["background"]],
  [HOUSE, "by the sea", "a large red house on the left, under a sunset sky, above the sea, muted colours", ["background"]],
  [HOUSE, "on a plain background", "a large red house on the left, on a plain background, muted colours", ["background"]],
  [HOUSE, "make the background black", "a large red house on the left, on a black background, muted colours", ["background"]],
  [HOUSE, "make the sky purple", "a large red house on the left, on a purple background, muted colours", ["background"]],
  [WOOKIE, "on the moon", "a Wookie dressed up like a samurai, on the moon", ["background"]],
  [WOOKIE, "how about underwater", "a Wookie dressed up like a samurai, underwater", ["background"]],
  ["a red house, in the snow", "what if it was by the sea?", "a red house, above the sea", ["background"]],
  // Style words; opposites replace each other
  [HOUSE, "more vivid", "a large red house on the left, under a sunset sky, vivid colours", ["style"]],
  [HOUSE, "less muted", "a large red house on the left, under a sunset sky, vivid colours", ["style"]],
  [HOUSE, "cooler", "a large red house on the left, under a sunset sky, muted colours, cool tones", ["style"]],
  [HOUSE, "make it lighter", "a large red house on the left, under a sunset sky, muted colours, light palette", ["style"]],
  [HOUSE, "flat shading", "a large red house on the left, under a sunset sky, muted colours, flat shading", ["style"]],
  [HOUSE, "no outline", "a large red house on the left, under a sunset sky, muted colours, no outline", ["style"]],
  [HOUSE, "add an ink outline", "a large red house on the left, under a sunset sky, muted colours, ink outline", ["style"]],
  [HOUSE, "more detail", "a large red house on the left, under a sunset sky, muted colours, detailed", ["style"]],
  [HOUSE, "simpler", "a large red house on the left, under a sunset sky, muted colours, minimal", ["style"]],
  [HOUSE, "please make it a bit darker", "a large red house on the left, under a sunset sky, muted colours, dark palette", ["style"]],
  [HOUSE, "it's too dark", "a large red house on the left, under a sunset sky, muted colours, light palette", ["style"]],
  ["a red circle, vivid colours, muted colours", "more muted", "a red circle, muted colours", ["style"]],
  [HOUSE, "more dynamic", "a large red house on the left, under a sunset sky, muted colours, dynamic composition", ["composition"]],
  // Composition
  [HOUSE, "move it to the right", "a large red house on the right, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "move the house up", "a large red house at the top, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "center the house", "a large red house in the centre, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "put it in the middle", "a large red house in the centre, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "get rid of the sunset", "a large red house on the left, muted colours", ["remove"]],
  // Removal: from the text, or --no when it is not there
  [HOUSE, "no more muted colours", "a large red house on the left, under a sunset sky", ["remove"]],
  [HOUSE, "no trees and no clouds", "a large red house on the left, under a sunset sky, muted colours --no trees, clouds", ["remove"]],
  [HOUSE, "remove the tree and the sun", "a large red house on the left, under a sunset sky, muted colours --no tree, sun", ["remove"]],
  ["a star over a boat at sea", "remove the star", "a boat at sea", ["remove"]],
  ["a star over a boat at sea", "remove the boat", "a star at sea", ["remove"]],
  [WOOKIE_ARMED, "remove the lightsaber", "a Wookie dressed up like a samurai", ["remove"]],
  [WOOKIE, "lose the lightsaber", "a Wookie dressed up like a samurai --no lightsaber", ["remove"]],
  [HOUSE, "add a yellow sun at the top", "a large red house on the left and a yellow sun at the top, under a sunset sky, muted colours", ["add"]],
  // Additions
  [HOUSE, "put a moon at the top right", "a large red house on the left and a moon at the top right, under a sunset sky, muted colours", ["add"]],
  [HOUSE, "what if there was a tree?", "a large red house on the left and a tree, under a sunset sky, muted colours", ["add"]],
  [HOUSE, "I want a flower", "a large red house on the left and a flower, under a sunset sky, muted colours", ["add"]],
  [WOOKIE, "give him a red cape", "a Wookie dressed up like a samurai, with a red cape", ["add"]],
  [WOOKIE, "could the wookie be riding a horse?", "a Wookie dressed up like a samurai, riding a horse", ["add"]],
  [WOOKIE_ARMED, "can he be holding a red sword instead?", "a Wookie dressed up like a samurai, holding a red sword", ["add"]],
  ["a small green tree --no sun", "add a sun", "a small green tree and a sun", ["add"]],
  [HOUSE, "replace the house with a boat", "a large red boat on the left, under a sunset sky, muted colours", ["replace"]],
  // Replacing a subject
  [HOUSE, "turn the house into a tree", "a large red tree on the left, under a sunset sky, muted colours", ["replace"]],
  [HOUSE, "make it a boat", "a large red boat on the left, under a sunset sky, muted colours", ["replace"]],
  [HOUSE, "instead of the house, a fish", "a large red fish on the left, under a sunset sky, muted colours", ["replace"]],
  [HOUSE, "I'd like it in portrait", "a large red house on the left, under a sunset sky, muted colours --ar 2:3", ["aspect"]],
  // Aspect ratio
  [HOUSE, "widescreen please", "a large red house on the left, under a sunset sky, muted colours --ar 16:9", ["aspect"]],
  [HOUSE, "make it 4:3", "a large red house on the left, under a sunset sky, muted colours --ar 4:3", ["aspect"]],
  [HOUSE, "switch to landscape", "a large red house on the left, under a sunset sky, muted colours --ar 16:9", ["aspect"]],
  ["a red circle on a blue background", "make the circle yellow and put it on the left", "a yellow circle on the left on a blue background", ["change-attribute",  "composition"]],
  // Several requests in one message
  ["a red house", "make the house blue and add a moon", "a blue house and a moon", ["change-attribute",  "add"]],
  ["a red house", "no clouds, and make it wide", "a red house --ar 16:9 --no clouds", ["remove",  "aspect"]],
  [BOAT, "add a moon", "a star over a boat and a moon at sea --ar 16:9 --seed 3 --draft", ["add"]],
  // Parameters are kept
  [BOAT, "make it square", "a star over a boat at sea --seed 3 --draft", ["aspect"]],
  [BOAT, "no clouds", "a star over a boat at sea --ar 16:9 --seed 3 --draft --no clouds", ["remove"]],
  [BOAT, "make the boat red", "a star over a red boat at sea --ar 16:9 --seed 3 --draft", ["change-attribute"]],
  [BOAT, "make it night", "a star over a boat at sea, under a night sky with stars --ar 16:9 --seed 3 --draft", ["background"]],
  [BOAT, "in the snow", "a star over a boat in the snow --ar 16:9 --seed 3 --draft", ["background"]],
  [BOAT, "warmer and more vivid", "a star over a boat at sea, warm tones, vivid colours --ar 16:9 --seed 3 --draft", ["style"]],
  [BOAT, "move the boat to the left", "a star over a boat on the left at sea --ar 16:9 --seed 3 --draft", ["composition"]],
  [CIRCLE, "make it wide", "a red circle --ar 16:9 --stylize 250 --chaos 20 --seed 42 --repeat 4 --draft --no text", ["aspect"]],
  [CIRCLE, "no clouds", "a red circle --ar 2:3 --stylize 250 --chaos 20 --seed 42 --repeat 4 --draft --no text, clouds", ["remove"]],
  [CIRCLE, "make it green", "a green circle --ar 2:3 --stylize 250 --chaos 20 --seed 42 --repeat 4 --draft --no text", ["change-attribute"]],
  [CIRCLE, "remove the text", "a red circle --ar 2:3 --stylize 250 --chaos 20 --seed 42 --repeat 4 --draft --no text", ["remove"]],
  // More phrasings: hedges, verbs of their own, media, whole-background changes
  [HOUSE, "I think it should be at night", "a large red house on the left, under a night sky with stars, muted colours", ["background"]],
  [HOUSE, "let's try it in the snow", "a large red house on the left, under a sunset sky, in the snow, muted colours", ["background"]],
  [HOUSE, "can you make it look warmer?", "a large red house on the left, under a sunset sky, muted colours, warm tones", ["style"]],
  [HOUSE, "the house should be on the right", "a large red house on the right, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "shift it right a bit", "a large red house on the right, under a sunset sky, muted colours", ["composition"]],
  [HOUSE, "desaturate it", "a large red house on the left, under a sunset sky, muted colours", ["style"]],
  [HOUSE, "warm it up", "a large red house on the left, under a sunset sky, muted colours, warm tones", ["style"]],
  [HOUSE, "no background", "a large red house on the left, on a plain background, muted colours", ["background"]],
  [HOUSE, "the house is too big", "a small red house on the left, under a sunset sky, muted colours", ["change-attribute"]],
  [HOUSE, "aspect ratio 3:2", "a large red house on the left, under a sunset sky, muted colours --ar 3:2", ["aspect"]],
  [HOUSE, "change the background to the sea", "a large red house on the left, above the sea, muted colours", ["background"]],
  [HOUSE, "replace the sunset with a starry sky", "a large red house on the left, under a night sky with stars, muted colours", ["background"]],
  [HOUSE, "swap the house for a small blue fish", "a small blue fish on the left, under a sunset sky, muted colours", ["replace"]],
  [HOUSE, "make it a red boat instead", "a red boat on the left, under a sunset sky, muted colours", ["replace"]],
  [HOUSE, "too muted", "a large red house on the left, under a sunset sky, vivid colours", ["style"]],
  [HOUSE, "remove the outline", "a large red house on the left, under a sunset sky, muted colours --no outline", ["remove"]],
  [WOOKIE, "make him hold a lightsaber", "a Wookie dressed up like a samurai, holding a lightsaber", ["add"]],
  [WOOKIE, "he should wear a hat", "a Wookie dressed up like a samurai, wearing a hat", ["add"]],
  [WOOKIE, "give the wookie a blue lightsaber", "a Wookie dressed up like a samurai, with a blue lightsaber", ["add"]],
  [WOOKIE, "Can the Wookie be holding a blue lightsaber and standing on a spaceship?", "a Wookie dressed up like a samurai, holding a blue lightsaber, standing on a spaceship", ["add", "background"]],
  [WOOKIE, "in the style of ukiyo-e", "a Wookie dressed up like a samurai, in the style of ukiyo-e", ["style"]],
  ["a Wookie dressed up like a samurai, watercolour", "make it pixel art", "a Wookie dressed up like a samurai, pixel art", ["style"]],
  [WOOKIE, "in a bamboo forest at night", "a Wookie dressed up like a samurai, in a bamboo forest at night", ["background"]],
  ["a star over a boat at sea", "put the star at the top", "a star at the top over a boat at sea", ["composition"]],
  ["a star over a boat at sea", "no stars", "a boat at sea", ["remove"]],
  ["a dog wearing sunglasses", "remove the sunglasses", "a dog", ["remove"]],
  ["a dog wearing sunglasses", "make the sunglasses red", "a dog wearing red sunglasses", ["change-attribute"]],
  ["a red house", "make it blue, bigger, at the top", "a large blue house at the top", ["change-attribute", "composition"]],
  ["a red house", "how about making it darker", "a red house, dark palette", ["style"]],
  ["a red house", "don't show any people", "a red house --no people", ["remove"]],
  // Where new things go, embedded backgrounds, plurals and case
  ["a Wookie dressed up like a samurai, holding a blue lightsaber, standing on a spaceship", "add a moon", "a Wookie dressed up like a samurai, holding a blue lightsaber, a moon, standing on a spaceship", ["add"]],
  ["a dog wearing sunglasses", "add a ball", "a dog wearing sunglasses, a ball", ["add"]],
  ["a red house at sunset", "make it night", "a red house under a night sky with stars", ["background"]],
  ["a boat above the sea", "remove the sea", "a boat", ["remove"]],
  ["a house and two clouds", "make the clouds white", "a house and two white clouds", ["change-attribute"]],
  ["a red house", "Make The House Blue!", "a blue house", ["change-attribute"]],
  ["a red house, cloudy sky", "no clouds", "a red house, cloudy sky --no clouds", ["remove"]],
];

/** The parameters a recipe keeps whatever the edit: everything but the text, --no and --ar. */
function fixedSettings(recipe: TPromptRecipe) {
  const { prompt: _prompt, negativePrompt: _negative, aspectRatio: _aspect, ...rest } = recipe;
  return rest;
}

function noList(list: string | null): string[] {
  return list === null ? [] : list.split(", ");
}

describe("rewritePrompt: the utterance table", () => {
  it("has at least 60 rows, all different", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    expect(new Set(TABLE.map(([start, utterance]) => `${start}|${utterance}`)).size).toBe(TABLE.length);
  });

  it.each(TABLE)("%j + %j → %j %j", (start, utterance, expected, intents) => {
    const current = recipeOf(start);
    const result = rewriteTiny(current, utterance);
    expect(result.prompt).toBe(expected);
    expect(result.intents).toEqual(intents);
    expect(result.understood).toBe(true);
    expect(result.source).toBe("rules");
    // The result is a valid recipe whose text is exactly what is shown.
    expect(ZPromptRecipe.safeParse(result.recipe).success).toBe(true);
    expect(formatPrompt(result.recipe)).toBe(result.prompt);
    expect(recipeOf(result.prompt)).toEqual(result.recipe);
    // Parameters are kept; --no and --ar change only when the request was about them.
    expect(fixedSettings(result.recipe)).toEqual(fixedSettings(current));
    // (Asking for something again takes it out of --no; only a removal adds to --no.)
    if (!intents.includes("remove")) expect(noList(current.negativePrompt)).toEqual(expect.arrayContaining(noList(result.recipe.negativePrompt)));
    if (!intents.includes("aspect")) expect(result.recipe.aspectRatio).toEqual(current.aspectRatio);
    // Something to show in the "what changed" view whenever the prompt changed.
    if (result.prompt !== formatPrompt(current)) expect(result.changes.length).toBeGreaterThan(0);
    else expect(result.message).toBe("The prompt already says that.");
  });

  it("covers every follow-up of the example session", () => {
    expect(OVERVIEW_UTTERANCES.length).toBeGreaterThan(0);
    for (const utterance of OVERVIEW_UTTERANCES) {
      expect(TABLE.some(([, said]) => said === utterance)).toBe(true);
    }
    expect(WOOKIE).toBe(OVERVIEW_PROMPT);
  });

  it("plays the overview's session through: a prompt and two follow-ups", () => {
    const first = rewriteTiny(recipeOf(`${OVERVIEW_PROMPT} --draft`), OVERVIEW_UTTERANCES[0]!);
    const second = rewriteTiny(first.recipe, OVERVIEW_UTTERANCES[1]!);
    expect(second.prompt).toBe(`${EXAMPLE.expected} --draft`);
    expect(second.changes).toEqual([{ kind: "added", text: "standing on a spaceship" }]);
  });
});

describe("rewritePrompt: what changed", () => {
  it("reports a replaced attribute as one replacement", () => {
    expect(rewriteTiny(recipeOf("a blue house"), "make the house red").changes).toEqual([{ kind: "replaced", text: "a blue house", with: "a red house" }]);
  });

  it("reports --no and --ar edits as parameters", () => {
    const result = rewriteTiny(recipeOf("a red house"), "no clouds and make it wide");
    expect(result.changes).toEqual([
      { kind: "added", text: "--no clouds" },
      { kind: "replaced", text: "--ar 1:1", with: "--ar 16:9" },
    ]);
  });

  it("takes a thing out of --no when it is asked for again", () => {
    const result = rewriteTiny(recipeOf("a small green tree --no sun, clouds"), "add a sun");
    expect(result.recipe.negativePrompt).toBe("clouds");
    expect(result.changes).toEqual([
      { kind: "added", text: "a sun" },
      { kind: "removed", text: "--no sun" },
    ]);
  });
});

describe("rewritePrompt: not understood", () => {
  it("\"make it better\" asks back with concrete readings and changes nothing", () => {
    const current = recipeOf(BOAT);
    const result = rewriteTiny(current, "make it better");
    expect(result.understood).toBe(false);
    expect(result.recipe).toBe(current);
    expect(result.clarify?.readings.length).toBeGreaterThanOrEqual(2);
    // Every reading is itself a follow-up the rules understand.
    for (const reading of result.clarify?.readings ?? []) expect(rewriteTiny(current, reading.message).understood).toBe(true);
  });

  it.each(["", "   ", "hmm", "ok", "thanks!", "what do you think?", "?!", "asdf qwerty"])("%j leaves the recipe alone with a hint", (utterance) => {
    const current = recipeOf(BOAT);
    const result = rewriteTiny(current, utterance);
    expect(result.understood).toBe(false);
    expect(result.recipe).toBe(current);
    expect(result.prompt).toBe(BOAT);
    expect(result.intents).toEqual(["unknown"]);
    expect(result.changes).toEqual([]);
    expect(result.message).toBe(UNKNOWN_MESSAGE);
  });

  it("says which thing it could not find", () => {
    const result = rewriteTiny(recipeOf(HOUSE), "make the moon red");
    expect(result.understood).toBe(false);
    expect(result.message).toMatch(/couldn't find "moon".*add a moon/);
  });

  it("refuses to remove the only thing in the prompt", () => {
    const result = rewriteTiny(recipeOf("a red house"), "remove the house");
    expect(result.understood).toBe(false);
    expect(result.recipe.prompt).toBe("a red house");
    expect(result.message).toMatch(/empty/);
  });

  it("applies what it understood and mentions the rest", () => {
    const result = rewriteTiny(recipeOf("a red house"), "add a moon, and blorp the flurb");
    expect(result.understood).toBe(true);
    expect(result.prompt).toBe("a red house and a moon");
    expect(result.message).toContain('"blorp the flurb"');
  });

  it("reads a typed --ar or --no as a request, and never lets a parameter into the text", () => {
    const result = rewriteTiny(recipeOf("a red house --seed 5"), "add a moon --ar 16:9 \u2014no clouds --seed 9");
    expect(result.prompt).toBe("a red house and a moon --ar 16:9 --seed 5 --no clouds");
    expect(result.intents).toEqual(["add", "aspect", "remove"]);
    expect(result.message).toBe('I didn\'t understand "seed 9".');
  });
});
