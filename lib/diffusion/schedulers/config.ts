/**
 * The diffusers `scheduler_config.json` vocabulary. Every scheduler reads the
 * same snake_case keys and applies its own diffusers defaults; keys a scheduler
 * does not know are ignored, which is what lets a model's config drive any
 * scheduler class ("a different scheduler class reuses the beta config").
 */
import { z } from "zod";

const ZTimestepSpacing = z.enum(["leading", "trailing", "linspace"]);
const ZPredictionType = z.enum(["epsilon", "v_prediction", "sample"]);

export const ZSchedulerConfig = z
  .looseObject({
    _class_name: z.string(),
    num_train_timesteps: z.number().int().positive(),
    beta_start: z.number().positive(),
    beta_end: z.number().positive(),
    beta_schedule: z.enum(["linear", "scaled_linear", "squaredcos_cap_v2"]),
    trained_betas: z.array(z.number()),
    prediction_type: ZPredictionType,
    timestep_spacing: ZTimestepSpacing,
    steps_offset: z.number().int().nonnegative(),
    set_alpha_to_one: z.boolean(),
    clip_sample: z.boolean(),
    clip_sample_range: z.number().positive(),
    thresholding: z.boolean(),
    dynamic_thresholding_ratio: z.number().positive().max(1),
    sample_max_value: z.number().positive(),
    rescale_betas_zero_snr: z.boolean(),
    use_karras_sigmas: z.boolean(),
    algorithm_type: z.string(),
    solver_type: z.enum(["midpoint", "heun"]),
    solver_order: z.number().int().positive(),
    lower_order_final: z.boolean(),
    euler_at_final: z.boolean(),
    final_sigmas_type: z.enum(["zero", "sigma_min"]),
    // JSON cannot say -inf, but configs built in code (and diffusers' default) do.
    lambda_min_clipped: z.number().or(z.literal(-Infinity)),
    original_inference_steps: z.number().int().positive(),
    timestep_scaling: z.number().positive(),
  })
  .partial();

export type TSchedulerConfigInput = z.input<typeof ZSchedulerConfig>;
export type TTimestepSpacing = z.infer<typeof ZTimestepSpacing>;
export type TPredictionType = z.infer<typeof ZPredictionType>;

/** Fields every scheduler shares, after defaults. */
export interface BaseSchedulerConfig {
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  beta_schedule: "linear" | "scaled_linear" | "squaredcos_cap_v2";
  trained_betas: number[] | undefined;
  prediction_type: TPredictionType;
  timestep_spacing: TTimestepSpacing;
  steps_offset: number;
  rescale_betas_zero_snr: boolean;
}

export const BASE_DEFAULTS: BaseSchedulerConfig = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: "linear",
  trained_betas: undefined,
  prediction_type: "epsilon",
  timestep_spacing: "leading",
  steps_offset: 0,
  rescale_betas_zero_snr: false,
};

/**
 * Overlays a raw config on `defaults`, validating only the keys this scheduler
 * reads (a DEIS-only value elsewhere in the file must not break Euler). JSON
 * `null` means "use the default", as in diffusers (`trained_betas: null`).
 */
export function resolveConfig<T extends object>(raw: unknown, defaults: T): T {
  const source = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const shape = ZSchedulerConfig.shape as Record<string, z.ZodType | undefined>;
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(defaults)) {
    const value = source[key];
    if (value === undefined || value === null) continue;
    const schema = shape[key];
    if (!schema) throw new Error(`scheduler key ${key} has no schema`);
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new RangeError(`scheduler config ${key}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    out[key] = parsed.data;
  }
  return out as T;
}
