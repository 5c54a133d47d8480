import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rankCandidates, SCENE_HEADS, type THeadBelief, type TSceneHead } from "@/lib/describe/candidates";
import { ZDescriberFile } from "@/lib/describe/describer-file";
import { readLlmPrompts } from "@/lib/describe/llm-reply";
import { ZDescribeRequest } from "@/lib/schemas/describe";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const shipped = ZDescriberFile.parse(JSON.parse(readFileSync(path.join(ROOT, "models/mirage-tiny/describer.json"), "utf8")));

/** Beliefs where each head puts `top` on its first label and spreads the rest evenly. */
function beliefs(labels: Record<TSceneHead, string[]>, top: Partial<Record<TSceneHead, number>> = {}): Record<TSceneHead, THeadBelief> {
  return Object.fromEntries(
    SCENE_HEADS.map((head) => {
      const first = top[head] ?? 0.97;
      const rest = (1 - first) / (labels[head].length - 1);
      return [head, { labels: labels[head], probabilities: labels[head].map((_, i) => (i === 0 ? first : rest * (1 - i * 0.01))) }];
    }),
  ) as unknown as Record<TSceneHead, THeadBelief>;
}

const LABELS = {
  size: ["large", "small"],
  colour: ["orange", "red", "pink", "yellow"],
  subject: ["heart", "star", "circle", "fish"],
  position: ["centre", "left", "right", "top", "bottom"],
  background: ["night", "sunset", "sea", "plain"],
};

describe("rankCandidates", () => {
  it("writes the most likely scene first, in the caption grammar, then three distinct alternatives", () => {
    const candidates = rankCandidates(beliefs(LABELS, { colour: 0.6 }), shipped, ["dark palette"]);
    expect(candidates.map((c) => c.prompt)).toHaveLength(4);
    expect(candidates[0]!.prompt).toBe("a large orange heart in the centre, under a night sky with stars, dark palette");
    expect(new Set(candidates.map((c) => c.prompt)).size).toBe(4);
    // The least sure head (colour) is where the alternatives differ first.
    expect(candidates[1]!.scene.colour).not.toBe("orange");
    for (let i = 1; i < candidates.length; i++) expect(candidates[i]!.probability).toBeLessThanOrEqual(candidates[i - 1]!.probability);
  });

  it("uses 'an' before a vowel and skips colour/background pairs the model never draws", () => {
    const labels = { ...LABELS, size: ["", "small"], background: ["sunset", "night", "sea", "plain"] };
    const sized = { ...shipped, phrases: { ...shipped.phrases, size: { "": "" } } };
    const candidates = rankCandidates(beliefs(labels), sized, []);
    // orange at sunset is excluded, so the best drawable reading comes first.
    expect(candidates.every((c) => !(c.scene.colour === "orange" && c.scene.background === "sunset"))).toBe(true);
    expect(candidates.some((c) => c.prompt.startsWith("an orange"))).toBe(true);
  });
});

describe("the shipped describer file", () => {
  it("has a fitted style model for every style axis of mirage-tiny", () => {
    expect(shipped.style.axes.map((axis) => axis.id)).toEqual(["saturation", "temperature", "brightness", "outline", "shading", "detail"]);
    expect(shipped.style.axes.every((axis) => axis.weights.every((row) => row.length === shipped.style.features.length + 1))).toBe(true);
  });
});

describe("readLlmPrompts", () => {
  it("takes four distinct cleaned prompts from JSON, fenced or not", () => {
    const reply = '```json\n{"prompts": ["a red fox in snow --ar 16:9", "\\"a fox\\"", "a fox at dawn", "a fox, watercolour", "extra"]}\n```';
    expect(readLlmPrompts(reply)).toEqual(["a red fox in snow", "a fox", "a fox at dawn", "a fox, watercolour"]);
  });

  it("refuses replies with fewer than four usable prompts, or no JSON", () => {
    expect(readLlmPrompts('{"prompts": ["a", "a", "b", ""]}')).toBeNull();
    expect(readLlmPrompts("a red fox")).toBeNull();
  });
});

describe("ZDescribeRequest", () => {
  it("needs exactly one of uploadId or imageId, each a valid id", () => {
    expect(ZDescribeRequest.safeParse({ uploadId: "u1" }).success).toBe(true);
    expect(ZDescribeRequest.safeParse({}).success).toBe(false);
    expect(ZDescribeRequest.safeParse({ uploadId: "u1", imageId: "i1" }).success).toBe(false);
    expect(ZDescribeRequest.safeParse({ imageId: "../etc" }).success).toBe(false);
  });
});
