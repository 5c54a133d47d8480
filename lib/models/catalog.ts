import { readdir } from "node:fs/promises";
import path from "node:path";
import { readModelLayout } from "@/lib/diffusion/model/layout";

/**
 * The models a studio can run: every folder under MODELS_DIR holding a
 * diffusers export. Output sizes come from the model's manifest (`sizes`,
 * one per aspect-ratio bucket it was trained on); an export without one gets
 * sizes of its base area at the requested ratio.
 */
export interface CatalogModel {
  id: string;
  name: string;
  sizes: Record<string, { width: number; height: number }>;
  hasUpscaler: boolean;
}

export async function listModels(modelsDir: string): Promise<CatalogModel[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const models: CatalogModel[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const layout = await readModelLayout(path.join(modelsDir, entry.name)).catch(() => null);
    if (!layout) continue;
    models.push({
      id: entry.name,
      name: layout.name,
      sizes: layout.manifest?.sizes ?? {},
      hasUpscaler: Boolean(layout.upscalerPath),
    });
  }
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
