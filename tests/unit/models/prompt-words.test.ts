import path from "node:path";
import { describe, expect, it } from "vitest";
import { readModelManifest } from "@/lib/models/manifest";
import { addModelWord, modelWords } from "@/lib/models/prompt-words";

const BUNDLED = path.resolve(import.meta.dirname, "../../../models/mirage-tiny");

/** What the imagine bar offers for a small-vocabulary model, and how a picked phrase joins the prompt. */
describe("the words a model knows", () => {
  it("reads the bundled model's subjects, palette, canonical phrases and style poles", async () => {
    const words = modelWords((await readModelManifest(BUNDLED))?.manifest);
    expect(words?.subjects).toEqual(expect.arrayContaining(["circle", "house", "fish"]));
    expect(words?.colours).toEqual(expect.arrayContaining(["red", "blue"]));
    expect(words?.colours).not.toContain("gray");
    expect(words?.sizes).toEqual(["large", "small"]);
    expect(words?.positions).toContain("on the left");
    expect(words?.backgrounds).toContain("under a sunset sky");
    expect(words?.styles).toEqual(expect.arrayContaining(["muted colours", "vivid colours"]));
  });

  it("offers nothing for a model without a vocabulary", () => {
    expect(modelWords(undefined)).toBeNull();
    expect(modelWords({})).toBeNull();
  });

  it("builds a description phrase by phrase, before any parameters", () => {
    let prompt = "";
    prompt = addModelWord(prompt, "colours", "red");
    expect(prompt).toBe("a red");
    prompt = addModelWord(prompt, "subjects", "circle");
    prompt = addModelWord(prompt, "positions", "on the left");
    prompt = addModelWord(prompt, "backgrounds", "under a sunset sky");
    expect(prompt).toBe("a red circle on the left, under a sunset sky");
    expect(addModelWord("a fish --ar 16:9 --seed 3", "styles", "vivid colours")).toBe("a fish, vivid colours --ar 16:9 --seed 3");
    expect(addModelWord("--ar 16:9", "subjects", "boat")).toBe("a boat --ar 16:9");
    expect(addModelWord("a blue-green fish", "positions", "at the top")).toBe("a blue-green fish at the top");
  });
});
