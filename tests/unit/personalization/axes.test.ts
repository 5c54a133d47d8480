import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { styleSteering } from "@/lib/personalization";
import { modelStyle } from "@/lib/server/personalization/axes";

const MODEL_DIR = new URL("../../../models/mirage-tiny/mirage.json", import.meta.url);

describe("style axes from the manifest", () => {
  it.skipIf(!existsSync(MODEL_DIR))("reads mirage-tiny's axes with their calibrated gains, which scale the steering coefficients", async () => {
    const { axes } = await modelStyle("models", "mirage-tiny");
    expect(axes.map((axis) => axis.id)).toEqual(["saturation", "temperature", "brightness", "outline", "shading", "detail"]);
    for (const axis of axes) expect(axis.gain, axis.id).toBeGreaterThan(0);
    const weights = axes.map(() => 1);
    const steering = styleSteering(weights, axes, 1000);
    // Same preference on every axis; the coefficient is λ·γ_k·v, so it is proportional to the gain.
    axes.forEach((axis, k) => expect(steering.coefficients[k]).toBeCloseTo(steering.preference[k]! * axis.gain!, 12));
  });
});
