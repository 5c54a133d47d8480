/**
 * AUTOMATIC1111 sampler and schedule names reach the schedulers they promise:
 * each name builds a real scheduler on the SD schedule with the implied options.
 */
import { describe, expect, it } from "vitest";

import { createSamplerScheduler } from "@/lib/diffusion/pipelines/sampler";
import { DPMSolverMultistepScheduler, type EulerDiscreteScheduler, HeunDiscreteScheduler, UniPCMultistepScheduler } from "@/lib/diffusion/schedulers";
import { A1111_SAMPLERS, samplerFor } from "@/lib/protocols/a1111/samplers";

const SD = { _class_name: "PNDMScheduler", beta_start: 0.00085, beta_end: 0.012, beta_schedule: "scaled_linear", num_train_timesteps: 1000, steps_offset: 1, skip_prk_steps: true };

function build(name: string, schedule: string | null = null) {
  const choice = samplerFor(name, schedule)!;
  return createSamplerScheduler(SD, { scheduler: choice.scheduler!, steps: 20, guidance: 7, ...choice });
}

describe("A1111 samplers → schedulers", () => {
  it("every listed sampler builds and sets 20 steps", () => {
    for (const sampler of A1111_SAMPLERS) {
      const scheduler = build(sampler.name);
      scheduler.setTimesteps(sampler.scheduler === "LCMScheduler" ? 4 : 20);
      expect(scheduler.timesteps.length).toBeGreaterThan(0);
    }
  });

  it("UniPC and Heun are their diffusers classes", () => {
    expect(build("UniPC")).toBeInstanceOf(UniPCMultistepScheduler);
    expect(build("k_heun")).toBeInstanceOf(HeunDiscreteScheduler);
  });

  it("the SDE family is stochastic DPM-Solver++ of the named order, Karras where named", () => {
    const cases: Array<[string, number, boolean, string]> = [
      ["DPM++ SDE", 1, false, "midpoint"],
      ["DPM++ SDE Karras", 1, true, "midpoint"],
      ["DPM++ 2M SDE", 2, false, "midpoint"],
      ["DPM++ 2M SDE Karras", 2, true, "midpoint"],
      ["DPM++ 2M SDE Heun", 2, false, "heun"],
      ["DPM++ 3M SDE", 3, false, "midpoint"],
    ];
    for (const [name, order, karras, solverType] of cases) {
      const scheduler = build(name) as DPMSolverMultistepScheduler;
      expect(scheduler).toBeInstanceOf(DPMSolverMultistepScheduler);
      expect(scheduler.algorithm).toBe("sde-dpmsolver++");
      expect(scheduler.config).toMatchObject({ solver_order: order, use_karras_sigmas: karras, solver_type: solverType });
    }
    const plain = build("DPM++ 2M Karras") as DPMSolverMultistepScheduler;
    expect(plain.algorithm).toBe("dpmsolver++");
    expect(plain.config.use_karras_sigmas).toBe(true);
  });

  it("schedule types: Exponential and Beta respace σ; Karras wins over the sampler's default", () => {
    const exponential = build("Euler", "Exponential") as EulerDiscreteScheduler;
    expect(exponential.config).toMatchObject({ use_exponential_sigmas: true, use_karras_sigmas: false });
    const beta = build("DPM++ 2M Karras", "beta") as DPMSolverMultistepScheduler;
    expect(beta.config).toMatchObject({ use_beta_sigmas: true, use_karras_sigmas: false });
    expect(samplerFor(null, "Exponential")).toEqual({ karras: false, schedulerOptions: { use_exponential_sigmas: true } });
    expect(samplerFor(null, "automatic")).toBeUndefined();
    expect(samplerFor("DPM++ 2M SDE", "Karras")).toEqual({
      scheduler: "DPMSolverMultistepScheduler",
      karras: true,
      schedulerOptions: { algorithm_type: "sde-dpmsolver++", solver_order: 2 },
    });
  });

  it("refuses unknown names with the list", () => {
    expect(() => samplerFor("DPM2 a Karras", null)).toThrow(/Known: .*UniPC/);
    expect(() => samplerFor("Euler", "Align Your Steps")).toThrow(/Known: Automatic, Uniform, Normal, Karras, Exponential, Beta/);
  });
});
