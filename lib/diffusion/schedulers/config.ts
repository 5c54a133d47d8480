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
    use_exponential_sigmas: z.boolean(),
    use_beta_sigmas: z.boolean(),
    use_lu_lambdas: z.boolean(),
    // Flow-matching σ (SD3/Flux-style models) are a different model family; refusing beats a silent wrong schedule.
    use_flow_sigmas: z.literal(false, { message: "use_flow_sigmas (flow-matching models) is not supported" }),
    // Learned-variance UNets (extra output channels) are not an SD-family export.
    variance_type: z.null({ message: "variance_type (learned-variance UNets) is not supported" }),
    sigma_min: z.number().positive(),
    sigma_max: z.number().positive(),
    interpolation_type: z.enum(["linear", "log_linear"]),
    timestep_type: z.enum(["discrete", "continuous"]),
    // "deis" is how DEIS configs spell dpmsolver++; diffusers maps it the same way.
    algorithm_type: z.enum(["dpmsolver", "dpmsolver++", "sde-dpmsolver", "sde-dpmsolver++", "deis"]),
    // midpoint/heun are DPM-Solver's, bh1/bh2 UniPC's, logrho DEIS's; each scheduler maps the others to its default.
    solver_type: z.enum(["midpoint", "heun", "bh1", "bh2", "logrho"]),
    solver_order: z.number().int().min(1).max(3),
    predict_x0: z.boolean(),
    disable_corrector: z.array(z.number().int().nonnegative()),
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

/**
 * The scheduler options a sampler choice may set on top of the model's config
 * (AUTOMATIC1111's "DPM++ 2M SDE" is DPM-Solver with `algorithm_type:
 * "sde-dpmsolver++"`). Importable by the web process: this module loads only zod.
 */
export const ZSchedulerOptions = ZSchedulerConfig.pick({
  algorithm_type: true,
  solver_order: true,
  solver_type: true,
  use_exponential_sigmas: true,
  use_beta_sigmas: true,
  use_lu_lambdas: true,
  final_sigmas_type: true,
}).strict();
export type TSchedulerOptions = z.infer<typeof ZSchedulerOptions>;

/**
 * Checks a model's whole `scheduler_config.json` when the model loads, so an
 * unknown or out-of-range value fails there with its key named rather than at
 * the first image. Unknown keys pass (other schedulers' options, diffusers
 * bookkeeping such as `_diffusers_version`), as in diffusers; `null` means default.
 */
export function validateSchedulerConfig(raw: unknown): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RangeError("scheduler_config.json must be a JSON object");
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
  const parsed = ZSchedulerConfig.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`scheduler config ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  assertOneSigmaSpacing(parsed.data);
}

/** diffusers refuses more than one σ respacing at once, and so do we. */
export function assertOneSigmaSpacing(config: { use_karras_sigmas?: boolean | undefined; use_exponential_sigmas?: boolean | undefined; use_beta_sigmas?: boolean | undefined }): void {
  const chosen = (["use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas"] as const).filter((key) => config[key] === true);
  if (chosen.length > 1) throw new RangeError(`scheduler config: only one of ${chosen.join(", ")} may be true`);
}
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
