import { Tensor } from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { DiffusionModel, TextConditioning } from "@/lib/diffusion/model/diffusion-model";
import { isNeutralSteering, steerConditioning } from "@/lib/diffusion/pipelines/steering";
import { DEFAULT_STYLE_AXES } from "@/lib/server/personalization/axes";
import { planPool } from "@/lib/server/personalization/pool";

/**
 * The steering operator of lib/diffusion on a fake text encoder whose
 * embeddings are known: c' = c + Σ coefficient·(E(positive) − E(negative)) on
 * the conditional row only, exact identity at coefficient 0, Δ cached per model.
 */
const SEQ = 3;
const WIDTH = 4;

function fakeModel() {
  const calls: string[][] = [];
  // E(text) = a deterministic pattern from the text's characters.
  const embed = (text: string) => Float32Array.from({ length: SEQ * WIDTH }, (_, i) => ((text.charCodeAt(i % text.length) * (i + 1)) % 17) / 7 - 1);
  const model = {
    encodePrompts: async (prompts: readonly string[]): Promise<TextConditioning> => {
      calls.push([...prompts]);
      const data = new Float32Array(prompts.length * SEQ * WIDTH);
      prompts.forEach((prompt, row) => data.set(embed(prompt), row * SEQ * WIDTH));
      return { hiddenStates: new Tensor("float32", data, [prompts.length, SEQ, WIDTH]) };
    },
  };
  return { model: model as unknown as DiffusionModel, calls, embed };
}

function conditioning(): TextConditioning {
  // Batch of 2 as with classifier-free guidance: [unconditional, conditional].
  const data = Float32Array.from({ length: 2 * SEQ * WIDTH }, (_, i) => Math.sin(i + 1));
  return { hiddenStates: new Tensor("float32", data, [2, SEQ, WIDTH]) };
}

describe("steerConditioning", () => {
  it("returns the conditioning itself when every coefficient is 0 (--s 0 is bit-identical)", async () => {
    const { model, calls } = fakeModel();
    const text = conditioning();
    const axes = [{ negative: "dark palette", positive: "light palette", coefficient: 0 }];
    expect(isNeutralSteering(axes)).toBe(true);
    expect(await steerConditioning(model, text, axes)).toBe(text);
    expect(await steerConditioning(model, text, undefined)).toBe(text);
    expect(calls).toHaveLength(0);
  });

  it("adds Σ coefficient·Δ to the conditional row only, and caches Δ per model", async () => {
    const { model, calls, embed } = fakeModel();
    const text = conditioning();
    const original = Float32Array.from(text.hiddenStates.data as Float32Array);
    const axes = [
      { negative: "dark palette", positive: "light palette", coefficient: -0.75 },
      { negative: "muted colours", positive: "vivid colours", coefficient: 0.5 },
      { negative: "no outline", positive: "ink outline", coefficient: 0 },
    ];
    const steered = await steerConditioning(model, text, axes);
    const out = steered.hiddenStates.data as Float32Array;
    const stride = SEQ * WIDTH;
    // The unconditional row and the input tensor are untouched.
    expect(Array.from(out.subarray(0, stride))).toEqual(Array.from(original.subarray(0, stride)));
    expect(Array.from(text.hiddenStates.data as Float32Array)).toEqual(Array.from(original));
    for (let i = 0; i < stride; i++) {
      const delta = (positive: string, negative: string) => Math.fround(embed(positive)[i]! - embed(negative)[i]!);
      const expected = original[stride + i]! - 0.75 * delta("light palette", "dark palette") + 0.5 * delta("vivid colours", "muted colours");
      expect(out[stride + i]).toBeCloseTo(expected, 5);
    }
    // A zero coefficient costs no encoder call; a second run reuses the cached Δs.
    expect(calls).toEqual([
      ["light palette", "dark palette"],
      ["vivid colours", "muted colours"],
    ]);
    await steerConditioning(model, text, axes);
    expect(calls).toHaveLength(2);
  });

  it("is linear in the coefficient (so the effect grows with λ(--s))", async () => {
    const { model } = fakeModel();
    const text = conditioning();
    const at = async (coefficient: number) =>
      (await steerConditioning(model, text, [{ negative: "cool tones", positive: "warm tones", coefficient }])).hiddenStates.data as Float32Array;
    const base = text.hiddenStates.data as Float32Array;
    const [one, two] = [await at(0.4), await at(0.8)];
    for (let i = SEQ * WIDTH; i < base.length; i++) expect(two[i]! - base[i]!).toBeCloseTo(2 * (one[i]! - base[i]!), 5);
  });
});

describe("ranking pool plan", () => {
  const axes = DEFAULT_STYLE_AXES.slice(0, 6);
  const subjects = ["a red boat", "a blue house", "a green tree"];
  const plan = planPool(axes, subjects);

  it("has subjects × 2 seeds groups of one neutral image and sparse ±1 variants, unique within a group", () => {
    const groups = new Map<number, typeof plan>();
    for (const image of plan) groups.set(image.groupId, [...(groups.get(image.groupId) ?? []), image]);
    expect(groups.size).toBe(subjects.length * 2);
    for (const members of groups.values()) {
      expect(members).toHaveLength(9);
      expect(new Set(members.map((image) => image.seed)).size).toBe(1);
      expect(new Set(members.map((image) => image.style.join())).size).toBe(9);
      expect(members[0]!.style.every((value) => value === 0)).toBe(true);
      expect(members[0]!.prompt).toBe(members[0]!.subject);
      for (const image of members.slice(1)) {
        const active = image.style.filter((value) => value !== 0);
        expect(active.length).toBeGreaterThanOrEqual(1);
        expect(active.length).toBeLessThanOrEqual(2);
        expect(active.every((value) => Math.abs(value) === 1)).toBe(true);
        // The prompt names exactly the active axes' phrases.
        image.style.forEach((value, k) => {
          if (value > 0) expect(image.prompt).toContain(axes[k]!.positive);
          if (value < 0) expect(image.prompt).toContain(axes[k]!.negative);
        });
      }
    }
  });

  it("shows every axis at both ends equally often", () => {
    for (let k = 0; k < axes.length; k++) {
      const plus = plan.filter((image) => image.style[k] === 1).length;
      const minus = plan.filter((image) => image.style[k] === -1).length;
      expect(plus, `axis ${k}`).toBeGreaterThan(0);
      expect(Math.abs(plus - minus), `axis ${k}: ${plus} + vs ${minus} −`).toBeLessThanOrEqual(2);
    }
  });
});
