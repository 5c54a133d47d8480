import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
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

  it("refuses a manifest whose axes are invalid, naming the model and the problem, instead of falling back to default axes", async () => {
    const fixture = path.resolve(import.meta.dirname, "../../fixtures/diffusion/tiny-sd-optimum");
    const modelsDir = await mkdtemp(path.join(tmpdir(), "mirage-axes-"));
    const modelDir = path.join(modelsDir, "broken-axes");
    try {
      // The fixture export's components, with a manifest whose one axis has a negative gain.
      await mkdir(modelDir);
      for (const entry of await readdir(fixture)) if (entry !== "mirage.json") await symlink(path.join(fixture, entry), path.join(modelDir, entry));
      const axis = { id: "outline", negative: "no outline", positive: "thick ink outline", gain: -2 };
      await writeFile(path.join(modelDir, "mirage.json"), JSON.stringify({ name: "broken", style_axes: [axis] }));
      const refused = modelStyle(modelsDir, "broken-axes");
      await expect(refused).rejects.toMatchObject({ code: "UNAVAILABLE" });
      await expect(refused).rejects.toThrow(/broken-axes: its mirage\.json has invalid style axes.*gain/);
    } finally {
      await rm(modelsDir, { recursive: true, force: true });
    }
  });
});
