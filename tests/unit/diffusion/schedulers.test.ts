/**
 * Ports of diffusers' scheduler tests (tests/schedulers/test_scheduler_*.py):
 * the same configs, loops and expected Σ|x| / mean|x| with the same tolerances,
 * plus the SD schedule values of the ONNX contract.
 */
import { describe, expect, it } from "vitest";

import { TorchGenerator } from "@/lib/diffusion/random";
import {
  DDIMScheduler,
  DPMSolverMultistepScheduler,
  EulerAncestralDiscreteScheduler,
  EulerDiscreteScheduler,
  LCMScheduler,
  createScheduler,
} from "@/lib/diffusion/schedulers";

import { absMean, absSum, DPM_TEST_CONFIG, dummySampleDeter, expectClose, fullLoop, scaled } from "./scheduler-harness";

const SD_BETAS = { beta_start: 0.00085, beta_end: 0.012, beta_schedule: "scaled_linear", num_train_timesteps: 1000 };


describe("DDIMScheduler (test_scheduler_ddim.py)", () => {
  const base = { num_train_timesteps: 1000, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear", clip_sample: true };
  const loop = (extra: Record<string, unknown> = {}) => {
    const scheduler = DDIMScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler, { eta: 0 });
  };

  it("steps_offset 1 gives 801…1 for 5 steps", () => {
    const scheduler = DDIMScheduler.fromConfig({ ...base, steps_offset: 1 });
    scheduler.setTimesteps(5);
    expect(scheduler.timesteps).toEqual([801, 601, 401, 201, 1]);
  });

  it("variance", () => {
    const scheduler = DDIMScheduler.fromConfig(base);
    expectClose(scheduler.variance(0, 0), 0, 1e-5);
    expectClose(scheduler.variance(420, 400), 0.14771, 1e-5);
    expectClose(scheduler.variance(980, 960), 0.3246, 1e-5);
    expectClose(scheduler.variance(487, 486), 0.00979, 1e-5);
    expectClose(scheduler.variance(999, 998), 0.02, 1e-5);
  });

  it("full loop, no noise", () => {
    const sample = loop();
    expectClose(absSum(sample), 172.0067, 1e-2);
    expectClose(absMean(sample), 0.223967, 1e-3);
  });

  it("full loop, v-prediction", () => {
    const sample = loop({ prediction_type: "v_prediction" });
    expectClose(absSum(sample), 52.5302, 1e-2);
    expectClose(absMean(sample), 0.0684, 1e-3);
  });

  it("full loop, set_alpha_to_one", () => {
    const sample = loop({ set_alpha_to_one: true, beta_start: 0.01 });
    expectClose(absSum(sample), 149.8295, 1e-2);
    expectClose(absMean(sample), 0.1951, 1e-3);
  });

  it("full loop, no set_alpha_to_one", () => {
    const sample = loop({ set_alpha_to_one: false, beta_start: 0.01 });
    expectClose(absSum(sample), 149.0784, 1e-2);
    expectClose(absMean(sample), 0.1941, 1e-3);
  });

  it("full loop with noise (img2img from step 8)", () => {
    const scheduler = DDIMScheduler.fromConfig(base);
    scheduler.setTimesteps(10);
    const sample = fullLoop(scheduler, { noiseFrom: 8, eta: 0 });
    expectClose(absSum(sample), 354.5418, 1e-2);
    expectClose(absMean(sample), 0.4616, 1e-3);
  });

  it("rejects zero steps", () => {
    expect(() => DDIMScheduler.fromConfig(base).setTimesteps(0)).toThrow(RangeError);
  });
});

describe("EulerDiscreteScheduler (test_scheduler_euler.py)", () => {
  const base = { num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear" };
  const loop = (extra: Record<string, unknown> = {}) => {
    const scheduler = EulerDiscreteScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler, {
      scaleInput: true,
      generator: new TorchGenerator(0),
      initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma),
    });
  };

  it("full loop, no noise", () => {
    const sample = loop();
    expectClose(absSum(sample), 10.0807, 1e-2);
    expectClose(absMean(sample), 0.0131, 1e-3);
  });

  it("full loop, v-prediction", () => {
    const sample = loop({ prediction_type: "v_prediction" });
    expectClose(absSum(sample), 0.0002, 1e-2);
    expectClose(absMean(sample), 2.2676e-6, 1e-3);
  });

  it("full loop, Karras sigmas", () => {
    const sample = loop({ use_karras_sigmas: true });
    expectClose(absSum(sample), 124.52299499511719, 1e-2);
    expectClose(absMean(sample), 0.16213932633399963, 1e-3);
  });
});

describe("EulerAncestralDiscreteScheduler (test_scheduler_euler_ancestral.py)", () => {
  const base = { num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear" };
  const setUp = (extra: Record<string, unknown> = {}) => {
    const scheduler = EulerAncestralDiscreteScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return scheduler;
  };

  it("full loop, no noise (torch seed 0 noise each step)", () => {
    const scheduler = setUp();
    const sample = fullLoop(scheduler, {
      scaleInput: true,
      generator: new TorchGenerator(0),
      initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma),
    });
    expectClose(absSum(sample), 152.3192, 1e-2);
    expectClose(absMean(sample), 0.1983, 1e-3);
  });

  it("full loop, v-prediction", () => {
    const scheduler = setUp({ prediction_type: "v_prediction" });
    const sample = fullLoop(scheduler, {
      scaleInput: true,
      generator: new TorchGenerator(0),
      initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma),
    });
    expectClose(absSum(sample), 108.4439, 1e-2);
    expectClose(absMean(sample), 0.1412, 1e-3);
  });

  it("full loop with noise", () => {
    const scheduler = setUp();
    const sample = fullLoop(scheduler, {
      scaleInput: true,
      generator: new TorchGenerator(0),
      noiseFrom: 8,
      initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma),
    });
    expectClose(absSum(sample), 56163.0508, 1e-2);
    expectClose(absMean(sample), 73.129, 1e-3);
  });

  it("needs a generator", () => {
    const scheduler = setUp();
    const sample = dummySampleDeter();
    expect(() => scheduler.step(sample, scheduler.timesteps[0]!, sample)).toThrow(/generator/);
  });
});

describe("DPMSolverMultistepScheduler (test_scheduler_dpm_multi.py)", () => {
  const base = DPM_TEST_CONFIG;
  const loop = (extra: Record<string, unknown> = {}) => {
    const scheduler = DPMSolverMultistepScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler);
  };

  it("full loop, no noise", () => expectClose(absMean(loop()), 0.3301, 1e-3));
  it("full loop, dynamic thresholding", () =>
    expectClose(absMean(loop({ thresholding: true, dynamic_thresholding_ratio: 0.87, sample_max_value: 0.5 })), 1.1364, 1e-3));
  it("full loop, v-prediction", () => expectClose(absMean(loop({ prediction_type: "v_prediction" })), 0.2251, 1e-3));
  it("full loop, Karras + v-prediction", () =>
    expectClose(absMean(loop({ prediction_type: "v_prediction", use_karras_sigmas: true })), 0.2096, 1e-3));

  it("full loop with noise (from step 5)", () => {
    const scheduler = DPMSolverMultistepScheduler.fromConfig(base);
    scheduler.setTimesteps(10);
    const sample = fullLoop(scheduler, { noiseFrom: 5 });
    expectClose(absSum(sample), 318.4111, 1e-2);
    expectClose(absMean(sample), 0.4146, 1e-3);
  });

  it("DPM++ 2M Karras on the SD schedule, 20 steps", () => {
    const scheduler = DPMSolverMultistepScheduler.fromConfig({ ...SD_BETAS, use_karras_sigmas: true });
    scheduler.setTimesteps(20);
    expect(scheduler.timesteps).toEqual([999, 962, 921, 876, 827, 772, 710, 640, 561, 474, 380, 285, 197, 123, 69, 35, 15, 6, 2, 0]);
  });

  it("refuses combinations diffusers cannot run", () => {
    expect(() => DPMSolverMultistepScheduler.fromConfig({ algorithm_type: "dpmsolver" })).toThrow(/final_sigmas_type/);
    expect(() => DPMSolverMultistepScheduler.fromConfig({ solver_order: 4 })).toThrow(/solver_order/);
    expect(() => DPMSolverMultistepScheduler.fromConfig({ algorithm_type: "sde-dpmsolver", final_sigmas_type: "sigma_min", solver_order: 3 })).toThrow(/solver_order/);
  });
});

describe("LCMScheduler (test_scheduler_lcm.py)", () => {
  const base = { ...SD_BETAS, prediction_type: "epsilon" };
  const loop = (steps: number) => {
    const scheduler = LCMScheduler.fromConfig(base);
    scheduler.setTimesteps(steps);
    return fullLoop(scheduler, { generator: new TorchGenerator(0) });
  };

  // Current diffusers values (the multistep ones were corrected when LCM's step indexing was fixed).
  it("one step", () => {
    const sample = loop(1);
    expectClose(absSum(sample), 18.7097, 1e-3);
    expectClose(absMean(sample), 0.0244, 1e-3);
  });

  it("ten steps (torch seed 0 noise between steps)", () => {
    const sample = loop(10);
    expectClose(absSum(sample), 197.7616, 1e-3);
    expectClose(absMean(sample), 0.2575, 1e-3);
  });

  it("4 steps pick 999, 759, 499, 259", () => {
    const scheduler = LCMScheduler.fromConfig(base);
    scheduler.setTimesteps(4);
    expect(scheduler.timesteps).toEqual([999, 759, 499, 259]);
  });
});

describe("SD schedule values (docs/onnx-pipeline.md §6)", () => {
  it("scaled_linear ᾱ and σ", () => {
    const euler = EulerDiscreteScheduler.fromConfig(SD_BETAS);
    expectClose(euler.alphasCumprod[999]!, 0.0046600951, 1e-9);
    euler.setTimesteps(1000);
    expectClose(euler.sigmas[0]!, 14.614647, 1e-5);
    expectClose(euler.sigmas[999]!, 0.0291675, 1e-6);
  });

  it("leading 50 steps run 981…1; trailing 2 and 4", () => {
    const ddim = DDIMScheduler.fromConfig({ ...SD_BETAS, steps_offset: 1 });
    ddim.setTimesteps(50);
    expect(ddim.timesteps[0]).toBe(981);
    expect(ddim.timesteps.at(-1)).toBe(1);
    const trailing = DDIMScheduler.fromConfig({ ...SD_BETAS, timestep_spacing: "trailing" });
    trailing.setTimesteps(2);
    expect(trailing.timesteps).toEqual([999, 499]);
    trailing.setTimesteps(4);
    expect(trailing.timesteps).toEqual([999, 749, 499, 249]);
  });

  it("SD-Turbo one step: t 999, σ 14.614647, input scale 1/14.648819 under leading", () => {
    const turbo = EulerDiscreteScheduler.fromConfig({ ...SD_BETAS, timestep_spacing: "trailing" });
    turbo.setTimesteps(1);
    expect(turbo.timesteps).toEqual([999]);
    expectClose(turbo.initNoiseSigma, 14.614647, 1e-5);
    const leading = EulerDiscreteScheduler.fromConfig({ ...SD_BETAS, timestep_spacing: "leading", steps_offset: 1 });
    leading.setTimesteps(1);
    expectClose(leading.initNoiseSigma, Math.sqrt(leading.sigmas[0]! ** 2 + 1), 1e-5);
  });

  it("SD-Turbo's single Euler step returns x₀ = latents − σ·ε", () => {
    const turbo = EulerDiscreteScheduler.fromConfig({ ...SD_BETAS, timestep_spacing: "trailing" });
    turbo.setTimesteps(1);
    const latents = scaled(dummySampleDeter(), turbo.initNoiseSigma);
    const eps = dummySampleDeter();
    const out = turbo.step(eps, 999, latents).prevSample.data as Float32Array;
    const x = latents.data as Float32Array;
    const e = eps.data as Float32Array;
    for (const i of [0, 100, 767]) expect(out[i]).toBeCloseTo(x[i]! - 14.614647 * e[i]!, 4);
  });

  it("createScheduler builds the class a config names, or another with the same betas", () => {
    const pndmConfig = { _class_name: "PNDMScheduler", ...SD_BETAS, steps_offset: 1, set_alpha_to_one: false, clip_sample: false, skip_prk_steps: true };
    expect(() => createScheduler(pndmConfig)).toThrow(/unsupported scheduler/);
    const ddim = createScheduler(pndmConfig, "DDIMScheduler");
    ddim.setTimesteps(50);
    expect(ddim.timesteps[0]).toBe(981);
    expect(createScheduler({ ...pndmConfig, _class_name: "LCMScheduler" }).name).toBe("LCMScheduler");
  });
});
