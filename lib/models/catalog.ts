import { readdir } from "node:fs/promises";
import path from "node:path";
import { readModelLayout } from "@/lib/diffusion/model/layout";
import { modelWords, type TModelWords } from "./prompt-words";

/**
 * The models a studio can run: every folder under MODELS_DIR holding a
 * diffusers export. Output sizes come from the model's manifest (`sizes`,
 * one per aspect-ratio bucket it was trained on, read by readModelLayout
 * through lib/models/manifest.ts); an export without one gets sizes of its
 * base area at the requested ratio.
 */
export interface CatalogModel {
  id: string;
  name: string;
  sizes: Record<string, { width: number; height: number }>;
  hasUpscaler: boolean;
  /** The model ships its own describer (mirage.json `describer`, docs/describe.md). */
  hasDescriber: boolean;
  /** mirage.json `aliases`: the `--v N` / `--niji [N]` this model answers. */
  aliases: string[];
  /** What a small-vocabulary model knows, offered by the imagine bar; null for a general model. */
  words: TModelWords | null;
}

/** How long a read of MODELS_DIR is reused: a model folder added by an admin shows up within this. */
const CATALOG_TTL_MS = 5_000;
const catalogs = new Map<string, { readAt: number; models: Promise<CatalogModel[]> }>();

async function readCatalog(modelsDir: string): Promise<CatalogModel[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name));
  const layouts = await Promise.all(folders.map((entry) => readModelLayout(path.join(modelsDir, entry.name)).catch(() => null)));
  return folders.flatMap((entry, index) => {
    const layout = layouts[index];
    if (!layout) return [];
    return [{ id: entry.name, name: layout.name, sizes: layout.manifest?.sizes ?? {}, hasUpscaler: Boolean(layout.upscalerPath), hasDescriber: Boolean(layout.manifest?.describer), aliases: layout.manifest?.aliases ?? [], words: modelWords(layout.manifest) }];
  });
}

/**
 * The installed models. Every submission asks (to resolve its model and
 * size), and reading the folders is ~15 file operations per model, each a
 * trip through the event loop that waits behind every other request under
 * load; so one read is shared for a few seconds.
 */
export async function listModels(modelsDir: string): Promise<CatalogModel[]> {
  const cached = catalogs.get(modelsDir);
  if (cached && Date.now() - cached.readAt < CATALOG_TTL_MS) return cached.models;
  const models = readCatalog(modelsDir);
  catalogs.set(modelsDir, { readAt: Date.now(), models });
  // A failed read is not reused.
  models.catch(() => catalogs.delete(modelsDir));
  return models;
}

/** SD 1.x exports without a manifest: 512² area, sides in multiples of 64. */
const FALLBACK = { baseSide: 512, multiple: 64 };

/**
 * The output size for an aspect ratio: the manifest bucket whose ratio is
 * closest (in log space, so 2:1 and 1:2 are equally far from 1:1), else the
 * base area at that ratio.
 */
export function sizeForAspect(model: CatalogModel, aspect: { width: number; height: number }): { width: number; height: number } {
  const wanted = Math.log(aspect.width / aspect.height);
  const buckets = Object.values(model.sizes);
  if (buckets.length > 0) {
    return buckets.reduce((best, size) =>
      Math.abs(Math.log(size.width / size.height) - wanted) < Math.abs(Math.log(best.width / best.height) - wanted) ? size : best,
    );
  }
  const area = FALLBACK.baseSide ** 2;
  const ratio = aspect.width / aspect.height;
  const round = (value: number) => Math.max(FALLBACK.multiple, Math.round(value / FALLBACK.multiple) * FALLBACK.multiple);
  return { width: round(Math.sqrt(area * ratio)), height: round(Math.sqrt(area / ratio)) };
}
