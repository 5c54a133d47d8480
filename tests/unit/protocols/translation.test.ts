import { describe, expect, it } from "vitest";
import { imageWeightFor } from "@/lib/protocols/a1111/generate";
import { A1111_SAMPLERS, samplerFor } from "@/lib/protocols/a1111/samplers";
import { aspectParameter, parseSize, withPromptDefaults } from "@/lib/protocols/prompt-defaults";
import { SIGNED_URL_TTL_SECONDS, signedImageUrl, verifySignedImage } from "@/lib/protocols/signed-url";
import { SCHEDULER_NAMES } from "@/lib/diffusion/schedulers";
import { parsePrompt } from "@/lib/prompt";

/** The protocol layers' pure translations: what a client's fields become in Mirage. */
describe("protocol prompt defaults", () => {
  it("appends size, draft and repeat as parameters the prompt parser accepts", () => {
    const prompt = withPromptDefaults("a boat", { aspect: { width: 1792, height: 1024 }, draft: true, repeat: 3 });
    expect(prompt).toBe("a boat --ar 7:4 --draft --r 3");
    const parsed = parsePrompt(prompt, { maxRepeat: 4 });
    expect(parsed.ok && parsed.recipe).toMatchObject({ aspectRatio: { width: 7, height: 4 }, draft: true, repeat: 3 });
  });

  it("lets the prompt's own parameters win", () => {
    expect(withPromptDefaults("a boat --ar 16:9 --R 2 --draft", { aspect: { width: 1, height: 1 }, draft: true, repeat: 3 })).toBe("a boat --ar 16:9 --R 2 --draft");
    expect(withPromptDefaults("a boat --aspect 2:3 --iw 2", { aspect: { width: 1, height: 1 }, imageWeight: 3 })).toBe("a boat --aspect 2:3 --iw 2");
    // A word that merely starts like a parameter is not one.
    expect(withPromptDefaults("a boat --arrow", { aspect: { width: 2, height: 1 } })).toBe("a boat --arrow --ar 2:1");
  });

  it("keeps extreme or odd sizes inside what --ar accepts", () => {
    expect(aspectParameter(5000, 100)).toBe("--ar 4:1");
    expect(aspectParameter(100, 5000)).toBe("--ar 1:4");
    expect(aspectParameter(1023, 1021)).toBe("--ar 1023:1021");
    expect(parseSize("auto")).toBeUndefined();
    expect(parseSize("512x768")).toEqual({ width: 512, height: 768 });
  });
});

describe("signed image links", () => {
  const secret = "s".repeat(40);
  const now = Date.UTC(2026, 11, 7);
  const url = new URL(signedImageUrl({ publicUrl: "https://studio.example", secret, imageId: "img-1", now }));
  const expires = Number(url.searchParams.get("expires"));
  const signature = url.searchParams.get("signature")!;

  it("holds for that image for an hour, and only with the studio's secret", () => {
    expect(url.pathname).toBe("/v1/files/images/img-1");
    expect(expires).toBe(now / 1000 + SIGNED_URL_TTL_SECONDS);
    expect(verifySignedImage({ secret, imageId: "img-1", expires, signature, now })).toBe(true);
    expect(verifySignedImage({ secret, imageId: "img-1", expires, signature, now: (expires + 1) * 1000 })).toBe(false);
    expect(verifySignedImage({ secret, imageId: "img-2", expires, signature, now })).toBe(false);
    expect(verifySignedImage({ secret, imageId: "img-1", expires: expires + 3600, signature, now })).toBe(false);
    expect(verifySignedImage({ secret: "t".repeat(40), imageId: "img-1", expires, signature, now })).toBe(false);
    expect(verifySignedImage({ secret, imageId: "img-1", expires, signature: signature.slice(1), now })).toBe(false);
  });
});

describe("AUTOMATIC1111 translation", () => {
  it("maps every listed sampler onto a scheduler the engine has", () => {
    for (const sampler of A1111_SAMPLERS) expect(SCHEDULER_NAMES).toContain(samplerFor(sampler.name, null)?.scheduler);
    expect(samplerFor("dpm++ 2m karras", null)).toEqual({ scheduler: "DPMSolverMultistepScheduler", karras: true });
    expect(samplerFor("DPM++ 2M", "Karras")).toEqual({ scheduler: "DPMSolverMultistepScheduler", karras: true });
    expect(samplerFor(null, null)).toBeUndefined();
    expect(() => samplerFor("DPM2 a", null)).toThrow(/Unknown sampler "DPM2 a". Known: DDIM, Euler, Euler a/);
    expect(() => samplerFor("Euler", "polyexponential")).toThrow(/Unknown scheduler/);
  });

  it("turns denoising strength into --iw, exact from 0.3 to 0.9", () => {
    expect(imageWeightFor(0.5)).toBe(2);
    expect(imageWeightFor(0.75)).toBe(0.75);
    expect(imageWeightFor(0.3)).toBe(3);
    expect(imageWeightFor(1)).toBe(0);
    expect(imageWeightFor(0.1)).toBe(3);
  });
});
