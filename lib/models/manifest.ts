/**
 * A model folder's `mirage.json`: the one schema and the one reader. Every
 * other module (the engine's layout and presets, the catalog, personalization,
 * Draft) gets the parsed manifest from here; nothing else parses the file.
 * The format is described in docs/model-manifest.md.
 *
 * Plain Node + zod on purpose: lib/diffusion (used by the GPU workers) imports
 * it, so it must not import server-only code; and client components must not
 * import it (it reads files). Browser-safe code takes the types only
 * (`import type`), which the bundler erases.
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

import { z } from "zod";

import { MODEL_ALIAS } from "../prompt/recipe";

export const MANIFEST_FILE = "mirage.json";

const ZSize = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

/** A sampler preset ("draft", "full"); scheduler names are checked by the engine when it uses them. */
export const ZManifestPreset = z.looseObject({
  steps: z.number().int().positive(),
  scheduler: z.string().optional(),
  timestep_spacing: z.enum(["leading", "trailing", "linspace"]).optional(),
  guidance: z.number().nonnegative().optional(),
  /** Guidance when the request has a negative prompt: lets a preset skip CFG yet still honour `--no`. */
  guidance_with_negative: z.number().nonnegative().optional(),
});
export type TManifestPreset = z.infer<typeof ZManifestPreset>;

/** One personalization style axis: two opposite phrases and how strongly steering along it moves the image. */
export const ZManifestStyleAxis = z.object({
  id: z.string().min(1),
  negative: z.string().min(1).max(200),
  positive: z.string().min(1).max(200),
  /** The pixel statistic that measures the axis (tests, calibration). */
  statistic: z.string().optional(),
  /**
   * The statistic's mean at the −1 pole, on typical outputs and at the +1 pole
   * (bench/references/axis-range.ts), increasing: maps a style reference image
   * onto the axis (docs/references.md §2). Without it, references leave the axis alone.
   */
  statistic_range: z
    .tuple([z.number(), z.number(), z.number()])
    .refine(([low, typical, high]) => low < typical && typical < high, { error: "must be increasing: [at −1, typical, at +1]" })
    .optional(),
  /** γ: steering gain from calibration (docs/personalization.md); default 1. */
  gain: z.number().positive().max(20).optional(),
});
export type TManifestStyleAxis = z.infer<typeof ZManifestStyleAxis>;

/** What the model was trained on; the personalization pool builds its subjects from it. */
const ZTrainingVocabulary = z.looseObject({
  subjects: z.array(z.string().min(1)).min(1).optional(),
  colours: z.array(z.string().min(1)).optional(),
  sizes: z.array(z.string().min(1)).optional(),
  positions: z.array(z.string().min(1)).optional(),
  backgrounds: z.array(z.string().min(1)).optional(),
});

const words = z.array(z.string().min(1).max(100)).max(200);
const ZPoles = z.object({ negative: words, positive: words });

/**
 * The Draft rewriter's tables for this model: the model's own phrasings (what
 * the rewriter writes) and what people say for them. Every field is optional;
 * a missing one keeps lib/draft's generic default for it.
 */
export const ZManifestDraftVocabulary = z.strictObject({
  subjects: words.optional(),
  colours: words.optional(),
  colour_modifiers: words.optional(),
  /** Also offer "on a <colour> background" for every colour. */
  colour_backdrops: z.boolean().optional(),
  sizes: z.array(z.strictObject({ value: z.string().min(1), adjectives: words, words })).max(10).optional(),
  positions: z.array(z.strictObject({ id: z.string().min(1), phrase: z.string().min(1), aliases: words, words })).max(20).optional(),
  backgrounds: z
    .array(z.strictObject({ id: z.string().min(1), slot: z.enum(["sky", "ground", "backdrop"]), phrase: z.string().min(1), aliases: words, words }))
    .max(100)
    .optional(),
  style_axes: z
    .array(z.strictObject({ id: z.string().min(1), intent: z.enum(["style", "composition"]), phrases: z.object({ negative: z.string().min(1), positive: z.string().min(1) }), aliases: ZPoles, words: ZPoles }))
    .max(24)
    .optional(),
  aspects: z.array(z.strictObject({ words, ratio: ZSize })).max(20).optional(),
  media: words.optional(),
});
export type TManifestDraftVocabulary = z.infer<typeof ZManifestDraftVocabulary>;

/**
 * The fields every user of the model needs (the engine cannot run the model
 * without them being right): an invalid one makes the whole manifest invalid.
 * Unknown keys are kept, so a newer manifest still loads.
 */
const ZManifestCore = z.looseObject({
  name: z.string().min(1).optional(),
  /**
   * What prompts may call this model: `v6.1` answers `--v 6.1`, `niji` answers
   * `--niji`, `niji6` answers `--niji 6` (docs/prompt-language.md §8).
   */
  aliases: z.array(z.string().regex(MODEL_ALIAS, { error: "aliases are vN, vN.N, niji or nijiN, e.g. v6.1 or niji6" })).max(20).optional(),
  family: z.string().optional(),
  description: z.string().optional(),
  base_resolution: z.number().int().positive().optional(),
  vae_scale_factor: z.number().int().positive().optional(),
  /** VAE latent scaling, used when the VAE configs do not state one. */
  scaling_factor: z.number().positive().optional(),
  size_multiple: z.number().int().positive().optional(),
  /** One output size per aspect-ratio bucket the model was trained on ("16:9" → 176×96). */
  sizes: z.record(z.string(), ZSize).optional(),
  presets: z.record(z.string(), ZManifestPreset).optional(),
  negative_prompt: z.string().optional(),
  /** 2× super-resolution graph, relative to the model folder. */
  upscaler: z.string().optional(),
  /** Describe's file (classifier, phrases, style model), relative to the model folder: docs/describe.md. */
  describer: z.string().min(1).optional(),
  evaluation: z.string().optional(),
  license: z.string().optional(),
});

/**
 * Sections only one feature reads. An invalid one is left out of the manifest
 * and reported in `problems`, so that feature refuses (or falls back, as it
 * decides) while the model still generates.
 */
const FEATURE_SECTIONS = {
  style_axes: z.array(ZManifestStyleAxis).min(1).max(24),
  vocabulary: ZTrainingVocabulary,
  draft: ZManifestDraftVocabulary,
} as const;
export type TManifestSection = keyof typeof FEATURE_SECTIONS;

/** The whole format (the loader applies it section by section). */
export const ZModelManifest = ZManifestCore.extend({
  style_axes: FEATURE_SECTIONS.style_axes.optional(),
  vocabulary: FEATURE_SECTIONS.vocabulary.optional(),
  draft: FEATURE_SECTIONS.draft.optional(),
});
export type TModelManifest = z.infer<typeof ZModelManifest>;

export interface TManifestRead {
  manifest: TModelManifest;
  /** Feature sections that failed validation → what is wrong, on one line. */
  problems: Partial<Record<TManifestSection, string>>;
}

export class ManifestError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} is not a valid model manifest: ${detail}`);
    this.name = "ManifestError";
  }
}

const oneLine = (error: z.ZodError) => z.prettifyError(error).replace(/\s*\n\s*/g, "; ");

/** Validates a manifest's JSON (already read): the core strictly, each feature section on its own. */
export function parseModelManifest(json: unknown, path = MANIFEST_FILE): TManifestRead {
  const core = ZManifestCore.safeParse(json);
  if (!core.success) throw new ManifestError(path, oneLine(core.error));
  const manifest: Record<string, unknown> = { ...core.data };
  const problems: TManifestRead["problems"] = {};
  for (const [section, schema] of Object.entries(FEATURE_SECTIONS) as Array<[TManifestSection, z.ZodType]>) {
    if (!(section in manifest)) continue;
    const parsed = schema.safeParse(manifest[section]);
    if (parsed.success) manifest[section] = parsed.data;
    else {
      delete manifest[section];
      problems[section] = oneLine(parsed.error);
    }
  }
  return { manifest: manifest as TModelManifest, problems };
}

/**
 * Parsed manifests by file, reused while the file is unchanged: every job
 * submission and every worker load asks, and re-parsing the file each time
 * would be wasted work, but an admin's edit should be seen without a restart.
 */
const cache = new Map<string, { mtimeMs: number; size: number; read: Promise<TManifestRead> }>();

/**
 * The manifest of the model in `modelDir`, or undefined when the folder has
 * none (a plain diffusers export). Throws ManifestError when the file is not
 * JSON or its core fields are invalid.
 */
export async function readModelManifest(modelDir: string): Promise<TManifestRead | undefined> {
  const path = join(resolve(modelDir), MANIFEST_FILE);
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      cache.delete(path);
      return undefined;
    }
    throw error;
  }
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.read;
  const read = readFile(path, "utf8").then((text) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ManifestError(path, `not JSON (${(error as Error).message})`);
    }
    return parseModelManifest(json, path);
  });
  cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, read });
  // A failed read is not reused.
  read.catch(() => {
    if (cache.get(path)?.read === read) cache.delete(path);
  });
  return read;
}
