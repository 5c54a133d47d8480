/**
 * The scheduler_config options that change the sampled trajectory, where
 * diffusers publishes no full-loop value: each is checked against its defining
 * formula (or scipy's numbers) and shown to change the result, and a model's
 * config is validated when it loads.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { readModelLayout } from "@/lib/diffusion/model/layout";
import { TorchGenerator } from "@/lib/diffusion/random";
import {
  DDIMScheduler,
  DPMSolverMultistepScheduler,
  EulerDiscreteScheduler,
  HeunDiscreteScheduler,
  UniPCMultistepScheduler,
  validateSchedulerConfig,
} from "@/lib/diffusion/schedulers";
import { betaPpf } from "@/lib/diffusion/schedulers/numeric";
import { floatData } from "@/lib/diffusion/tensor";

import { absMean, dummySampleDeter, fullLoop, scaled } from "./scheduler-harness";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));
const SD = { beta_start: 0.00085, beta_end: 0.012, beta_schedule: "scaled_linear", num_train_timesteps: 1000 };
const DPM_TEST = { num_train_timesteps: 1000, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear", lower_order_final: false, final_sigmas_type: "sigma_min" };

const dpmLoop = (extra: Record<string, unknown>, seed?: number) => {
  const scheduler = DPMSolverMultistepScheduler.fromConfig({ ...DPM_TEST, ...extra });
  scheduler.setTimesteps(10);
  return absMean(fullLoop(scheduler, seed === undefined ? {} : { generator: new TorchGenerator(seed) }));
};

const ratios = (values: readonly number[]) => values.slice(1).map((v, i) => v / values[i]!);

describe("σ respacings", () => {
  it("beta quantiles match scipy.stats.beta.ppf(·, 0.6, 0.6) to 1e-12", () => {
    // scipy 1.17: 1 − linspace(0, 1, 7) through beta.ppf(·, 0.6, 0.6).
    const scipy = [1, 0.9085132044499549, 0.7245867092223766, 0.5, 0.2754132907776235, 0.09148679555004528, 0];
    scipy.forEach((expected, i) => expect(Math.abs(betaPpf(1 - i / 6, 0.6, 0.6) - expected)).toBeLessThan(1e-12));
  });

  it("Euler: exponential σ are geometric, beta σ follow the quantiles, both span the grid's ends", () => {
    const plain = EulerDiscreteScheduler.fromConfig(SD);
    plain.setTimesteps(7);
    const exponential = EulerDiscreteScheduler.fromConfig({ ...SD, use_exponential_sigmas: true });
    exponential.setTimesteps(7);
    const inner = exponential.sigmas.slice(0, -1);
    for (const r of ratios(inner)) expect(r).toBeCloseTo(ratios(inner)[0]!, 5);
    expect(inner[0]).toBeCloseTo(plain.sigmas[0]!, 4);
    expect(inner.at(-1)).toBeCloseTo(plain.sigmas.at(-2)!, 4);
    const beta = EulerDiscreteScheduler.fromConfig({ ...SD, use_beta_sigmas: true });
    beta.setTimesteps(7);
    const [max, min] = [plain.sigmas[0]!, plain.sigmas.at(-2)!];
    beta.sigmas.slice(0, -1).forEach((s, i) => expect(s).toBeCloseTo(min + betaPpf(1 - i / 6, 0.6, 0.6) * (max - min), 4));
  });

  it("sigma_min / sigma_max override the respaced ends; only one respacing at a time", () => {
    const euler = EulerDiscreteScheduler.fromConfig({ ...SD, use_karras_sigmas: true, sigma_min: 0.1, sigma_max: 10 });
    euler.setTimesteps(5);
    expect(euler.sigmas[0]).toBeCloseTo(10, 4);
    expect(euler.sigmas[4]).toBeCloseTo(0.1, 5);
    expect(() => EulerDiscreteScheduler.fromConfig({ ...SD, use_karras_sigmas: true, use_beta_sigmas: true })).toThrow(/only one of/);
  });

  it("Euler log_linear: n + 1 σ evenly spaced in log σ; continuous v-prediction timesteps are ¼·ln σ", () => {
    const euler = EulerDiscreteScheduler.fromConfig({ ...SD, interpolation_type: "log_linear" });
    euler.setTimesteps(4);
    expect(euler.sigmas).toHaveLength(6);
    const logs = euler.sigmas.slice(0, -1).map(Math.log);
    for (const d of logs.slice(1).map((l, i) => l - logs[i]!)) expect(d).toBeCloseTo(logs[1]! - logs[0]!, 4);
    const continuous = EulerDiscreteScheduler.fromConfig({ ...SD, timestep_type: "continuous", prediction_type: "v_prediction" });
    continuous.setTimesteps(4);
    continuous.timesteps.forEach((t, i) => expect(t).toBeCloseTo(0.25 * Math.log(continuous.sigmas[i]!), 5));
  });

  it("final_sigmas_type sigma_min stops Euler at the smallest training σ", () => {
    const euler = EulerDiscreteScheduler.fromConfig({ ...SD, final_sigmas_type: "sigma_min" });
    euler.setTimesteps(4);
    expect(euler.sigmas.at(-1)).toBeCloseTo(0.0291675, 6);
  });

  it("rescale_betas_zero_snr: DDIM reaches ᾱ_T = 0; the σ schedulers start from σ = √(1/2⁻²⁴ − 1)", () => {
    const ddim = DDIMScheduler.fromConfig({ ...SD, rescale_betas_zero_snr: true });
    expect(ddim.alphasCumprod.at(-1)).toBe(0);
    const euler = EulerDiscreteScheduler.fromConfig({ ...SD, rescale_betas_zero_snr: true, timestep_spacing: "trailing" });
    euler.setTimesteps(4);
    expect(euler.sigmas[0]).toBeCloseTo(4096, 0);
  });
});

describe("DPM-Solver variants", () => {
  it("exponential, beta and Lu grids give distinct timesteps; exponential/beta truncate like diffusers' int64 cast", () => {
    const grids = [{}, { use_exponential_sigmas: true }, { use_beta_sigmas: true }, { use_lu_lambdas: true }, { use_karras_sigmas: true }].map((extra) => {
      const s = DPMSolverMultistepScheduler.fromConfig({ ...SD, ...extra });
      s.setTimesteps(8);
      expect(s.timesteps.every(Number.isInteger)).toBe(true);
      return s.timesteps.join(",");
    });
    expect(new Set(grids).size).toBe(5);
  });

  it("orders 1, 2 and 3 and both solver types give different, finite results", () => {
    const results = [1, 2, 3].flatMap((order) => ["midpoint", "heun"].map((solver_type) => dpmLoop({ solver_order: order, solver_type })));
    for (const r of results) expect(Number.isFinite(r)).toBe(true);
    // Order 1 ignores the solver type; the others differ.
    expect(new Set(results.map((r) => r.toFixed(6))).size).toBe(5);
  });

  it("dpmsolver (noise prediction) and dpmsolver++ agree to first order and differ at second", () => {
    expect(dpmLoop({ algorithm_type: "dpmsolver", solver_order: 1 })).toBeCloseTo(dpmLoop({ solver_order: 1 }), 4);
    expect(Math.abs(dpmLoop({ algorithm_type: "dpmsolver" }) - dpmLoop({}))).toBeGreaterThan(1e-5);
  });

  it("SDE variants draw noise from the generator: reproducible per seed, different across seeds", () => {
    for (const algorithm_type of ["sde-dpmsolver++", "sde-dpmsolver"]) {
      expect(dpmLoop({ algorithm_type }, 1)).toBe(dpmLoop({ algorithm_type }, 1));
      expect(dpmLoop({ algorithm_type }, 1)).not.toBe(dpmLoop({ algorithm_type }, 2));
    }
    expect(() => dpmLoop({ algorithm_type: "sde-dpmsolver++" })).toThrow(/generator/);
    expect(Number.isFinite(dpmLoop({ algorithm_type: "sde-dpmsolver++", solver_order: 3 }, 0))).toBe(true);
  });

  it("euler_at_final and lower_order_final change only the closing steps", () => {
    expect(dpmLoop({ euler_at_final: true })).not.toBeCloseTo(dpmLoop({}), 6);
    expect(dpmLoop({ lower_order_final: true, solver_order: 3 })).not.toBeCloseTo(dpmLoop({ solver_order: 3 }), 6);
  });

  it("dynamic thresholding clamps x₀ per item to the ratio's quantile, at most sample_max_value", () => {
    expect(dpmLoop({ thresholding: true, dynamic_thresholding_ratio: 0.5, sample_max_value: 0.5 })).not.toBeCloseTo(dpmLoop({}), 3);
  });
});

describe("UniPC options", () => {
  const base = { num_train_timesteps: 1000, beta_start: 0.0001, beta_end: 0.02, beta_schedule: "linear", final_sigmas_type: "sigma_min" };
  const loop = (extra: Record<string, unknown>) => {
    const scheduler = UniPCMultistepScheduler.fromConfig({ ...base, ...extra });
    scheduler.setTimesteps(10);
    return absMean(fullLoop(scheduler));
  };

  it("bh1, ε-space (predict_x0 false), order 3 and disable_corrector each change the trajectory", () => {
    const reference = loop({});
    for (const extra of [{ solver_type: "bh1" }, { predict_x0: false }, { solver_order: 3 }, { disable_corrector: [0, 1, 2] }, { lower_order_final: false, solver_order: 3 }]) {
      const value = loop(extra);
      expect(Number.isFinite(value)).toBe(true);
      expect(value, JSON.stringify(extra)).not.toBeCloseTo(reference, 5);
    }
  });

  it("DPM-Solver's solver types mean bh2 (diffusers' mapping)", () => {
    expect(loop({ solver_type: "midpoint" })).toBe(loop({}));
  });
});

describe("Heun options", () => {
  it("clip_sample clamps its x₀ prediction", () => {
    const heun = HeunDiscreteScheduler.fromConfig({ ...SD, prediction_type: "sample", clip_sample: true, clip_sample_range: 0.1 });
    heun.setTimesteps(2);
    const sample = scaled(dummySampleDeter(), 10);
    const x0 = floatData(heun.step(sample, heun.timesteps[0]!, sample).predOriginalSample!);
    expect(Math.max(...x0.map(Math.abs))).toBeCloseTo(0.1, 6);
  });
});

describe("scheduler_config.json validation at model load", () => {
  it("accepts real-world configs (SDXL Euler, DEIS-style DPM, UniPC) and unknown keys", () => {
    expect(() =>
      validateSchedulerConfig({ _class_name: "EulerDiscreteScheduler", _diffusers_version: "0.19.0", ...SD, interpolation_type: "linear", timestep_type: "discrete", use_karras_sigmas: false, sigma_min: null, sigma_max: null, skip_prk_steps: true, variance_type: null }),
    ).not.toThrow();
    expect(() => validateSchedulerConfig({ ...SD, algorithm_type: "deis", solver_type: "logrho", solver_order: 3 })).not.toThrow();
    expect(() => validateSchedulerConfig({ ...SD, solver_type: "bh2", disable_corrector: [], predict_x0: true })).not.toThrow();
  });

  it.each([
    [{ algorithm_type: "dpmsolver+++" }, /algorithm_type/],
    [{ solver_order: 4 }, /solver_order/],
    [{ dynamic_thresholding_ratio: 1.5 }, /dynamic_thresholding_ratio/],
    [{ prediction_type: "flow_prediction" }, /prediction_type/],
    [{ use_flow_sigmas: true }, /use_flow_sigmas/],
    [{ variance_type: "learned_range" }, /variance_type/],
    [{ interpolation_type: "cubic" }, /interpolation_type/],
    [{ use_karras_sigmas: true, use_exponential_sigmas: true }, /only one of/],
  ])("refuses %j", (extra, message) => {
    expect(() => validateSchedulerConfig({ ...SD, ...extra })).toThrow(message);
  });

  it("a model folder with a bad scheduler config fails to load, naming the file and the key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mirage-scheduler-"));
    try {
      await cp(join(FIXTURES, "tiny-sd-optimum"), dir, { recursive: true });
      await writeFile(join(dir, "scheduler", "scheduler_config.json"), JSON.stringify({ _class_name: "DPMSolverMultistepScheduler", ...SD, solver_order: 7 }));
      await expect(readModelLayout(dir)).rejects.toThrow(/scheduler_config\.json: scheduler config solver_order/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
