/**
 * Ports of diffusers' tests for the multistep solvers and Heun
 * (tests/schedulers/test_scheduler_unipc.py, test_scheduler_heun.py,
 * test_scheduler_dpm_multi.py): the same configs, dummy sample and dummy
 * model (./scheduler-harness.ts), and diffusers' expected mean|x| / Σ|x| with
 * diffusers' own tolerances (1e-3 on means, 1e-2 on sums).
 */
import { describe, expect, it } from "vitest";

import {
  DPMSolverMultistepScheduler,
  EulerDiscreteScheduler,
  HeunDiscreteScheduler,
  UniPCMultistepScheduler,
} from "@/lib/diffusion/schedulers";
import { TorchGenerator } from "@/lib/diffusion/random";

import { absMean, absSum, DPM_TEST_CONFIG, dummySampleDeter, expectClose, fullLoop, scaled } from "./scheduler-harness";


describe("UniPCMultistepScheduler (test_scheduler_unipc.py)", () => {
  const base = { num_train_timesteps: 1000, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear", solver_order: 2, solver_type: "bh2", final_sigmas_type: "sigma_min" };
  const loop = (extra: Record<string, unknown> = {}) => {
    const scheduler = UniPCMultistepScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler);
  };

  it("full loop, no noise", () => expectClose(absMean(loop()), 0.2464, 1e-3));
  it("full loop, Karras σ", () => expectClose(absMean(loop({ use_karras_sigmas: true })), 0.2925, 1e-3));
  it("full loop, v-prediction", () => expectClose(absMean(loop({ prediction_type: "v_prediction" })), 0.1014, 1e-3));
  it("full loop, Karras + v-prediction", () =>
    expectClose(absMean(loop({ prediction_type: "v_prediction", use_karras_sigmas: true })), 0.1966, 1e-3));

  it("full loop with noise (img2img from step 8)", () => {
    const scheduler = UniPCMultistepScheduler.fromConfig(base);
    scheduler.setTimesteps(10);
    const sample = fullLoop(scheduler, { noiseFrom: 8 });
    expectClose(absSum(sample), 315.5757, 1e-2);
    expectClose(absMean(sample), 0.4109, 1e-3);
  });
});

describe("HeunDiscreteScheduler (test_scheduler_heun.py)", () => {
  const base = { num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear" };
  const loop = (extra: Record<string, unknown> = {}) => {
    const scheduler = HeunDiscreteScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler, { scaleInput: true, initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma) });
  };

  it("full loop, no noise", () => {
    const sample = loop();
    expectClose(absSum(sample), 0.1233, 1e-2);
    expectClose(absMean(sample), 0.0002, 1e-3);
  });

  it("full loop, v-prediction", () => {
    const sample = loop({ prediction_type: "v_prediction" });
    expectClose(absSum(sample), 4.6934e-7, 1e-2);
    expectClose(absMean(sample), 6.1112e-10, 1e-3);
  });

  it("full loop, Karras σ", () => {
    const sample = loop({ use_karras_sigmas: true });
    expectClose(absSum(sample), 0.00015, 1e-2);
    expectClose(absMean(sample), 1.9869554535034695e-7, 1e-2);
  });

  it("lists each inner timestep twice and evaluates 2n − 1 times, ending on σ = 0", () => {
    const scheduler = HeunDiscreteScheduler.fromConfig(base);
    scheduler.setTimesteps(4);
    expect(scheduler.order).toBe(2);
    expect(scheduler.timesteps).toHaveLength(7);
    expect(scheduler.timesteps[1]).toBe(scheduler.timesteps[2]);
    expect(scheduler.sigmas).toHaveLength(8);
    expect(scheduler.sigmas.at(-1)).toBe(0);
    const sample = dummySampleDeter();
    scheduler.step(sample, scheduler.timesteps[0]!, sample);
    expect(scheduler.isMidStep).toBe(true);
    scheduler.step(sample, scheduler.timesteps[1]!, sample);
    expect(scheduler.isMidStep).toBe(false);
  });
});

describe("DPMSolverMultistepScheduler options (test_scheduler_dpm_multi.py)", () => {
  const base = DPM_TEST_CONFIG;
  const loop = (extra: Record<string, unknown> = {}, options: Parameters<typeof fullLoop>[1] = {}) => {
    const scheduler = DPMSolverMultistepScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return fullLoop(scheduler, options);
  };

  // Removed from diffusers' suite later, when the default final σ changed; this config reproduces that era's schedule.
  it("full loop, Lu λ + v-prediction", () => expectClose(absMean(loop({ prediction_type: "v_prediction", use_lu_lambdas: true })), 0.1554, 1e-3));

  it("switching DPM-Solver → UniPC → DPM-Solver through the config keeps the result (test_switch)", () => {
    const dpm = DPMSolverMultistepScheduler.fromConfig(base);
    const unipc = UniPCMultistepScheduler.fromConfig(dpm.config);
    const back = DPMSolverMultistepScheduler.fromConfig(unipc.config);
    back.setTimesteps(10);
    expectClose(absMean(fullLoop(back)), 0.3301, 1e-3);
  });
});

describe("EulerDiscreteScheduler with noise (test_scheduler_euler.py)", () => {
  it("full loop with noise from step 8", () => {
    const scheduler = EulerDiscreteScheduler.fromConfig({ num_train_timesteps: 1100, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear" });
    scheduler.setTimesteps(10);
    const sample = fullLoop(scheduler, {
      scaleInput: true,
      generator: new TorchGenerator(0),
      noiseFrom: 8,
      initial: scaled(dummySampleDeter(), scheduler.initNoiseSigma),
    });
    expectClose(absSum(sample), 57062.9297, 1e-2);
    expectClose(absMean(sample), 74.3007, 1e-3);
  });
});
