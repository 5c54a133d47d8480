import { randomInt } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { CatalogModel } from "@/lib/models/catalog";
import type { TPromptRecipe } from "@/lib/prompt";
import type { TStyleRef } from "@/lib/prompt/style-reference";
import type { TJobStyleRef, TJobStyleReference } from "@/lib/references/job-params";
import { hasKnownStatistics } from "@/lib/references/measure";
import { STYLE_CODE_MAX, styleCodeVector, STYLE_WEIGHT } from "@/lib/references/style";
import type { JobContext } from "@/lib/server/jobs/context";
import { createUpload } from "@/lib/server/uploads/uploads";
import { uploadStorageKey, type ObjectStore } from "@/lib/storage";
import { fetchReferenceImage } from "./fetch-url";
import { measureStoredImage, referenceAxes } from "./measure-stored";

/** Job use cases plus the image store, which URL references are saved to (as uploads of the caller). */
export type TReferenceContext = JobContext & { storage?: ObjectStore };

/**
 * `--sref` and `--sw` of a recipe, resolved for a new job (docs/references.md):
 * ids to the caller's upload or image (anyone else's reads as not found),
 * URLs fetched and kept as the caller's uploads, codes to their style
 * vectors, `random` to a fresh code. Returns the job's params and the refs
 * as the stored recipe records them (`random` replaced by the code it drew,
 * so Rerun reproduces the style). Null when the prompt has no references.
 */
export async function resolveStyleReferences(
  context: TReferenceContext,
  userId: string,
  model: CatalogModel,
  recipe: Pick<TPromptRecipe, "styleRefs" | "styleWeight">,
): Promise<{ params: TJobStyleReference; refs: TStyleRef[] } | null> {
  if (recipe.styleRefs.length === 0) {
    if (recipe.styleWeight !== STYLE_WEIGHT.defaultValue) throw new AppError("BAD_REQUEST", "--sw sets how strongly style references apply, but the prompt has no --sref. Add --sref or remove --sw.");
    return null;
  }
  const found = await referenceAxes(context.modelsDir, model.id);
  if (!found || !hasKnownStatistics(found.axes)) {
    throw new AppError(
      "BAD_REQUEST",
      `${model.id} cannot take style references: its mirage.json declares no style axes with a pixel statistic and statistic_range to measure a reference on, and the model ships no image encoder. Remove --sref or pick another model.`,
    );
  }
  const { axes, size } = found;
  const storage = context.storage;
  /** Images are measured here, once, so the job carries only vectors (docs/references.md §3). */
  const measure = (storageKey: string) => {
    if (!storage) throw new AppError("BAD_REQUEST", "Image style references are taken from the web app and the Mirage API; use a style code here.");
    return measureStoredImage(storage, storageKey, axes, size);
  };
  const refs: TJobStyleRef[] = [];
  const recorded: TStyleRef[] = [];
  for (const ref of recipe.styleRefs) {
    switch (ref.kind) {
      case "code":
      case "random": {
        const code = ref.kind === "random" ? randomInt(1, 2 ** 32) : Number(ref.value);
        if (!Number.isSafeInteger(code) || code < 1 || code > STYLE_CODE_MAX) throw new AppError("BAD_REQUEST", `Style code ${ref.value} is out of range: codes are 1 to ${STYLE_CODE_MAX}.`);
        refs.push({ source: "code", ref: String(code), weight: ref.weight, vector: styleCodeVector(code, axes.length) });
        recorded.push({ kind: "code", value: String(code), weight: ref.weight });
        break;
      }
      case "id": {
        const upload = await context.db.upload.findFirst({ where: { id: ref.value, userId }, select: { storageKey: true } });
        const image = upload ? null : await context.db.image.findFirst({ where: { id: ref.value, userId, deletedAt: null }, select: { storageKey: true } });
        if (!upload && !image) throw new AppError("NOT_FOUND", `No image or upload ${ref.value} of yours to use as a style reference.`);
        refs.push({ source: upload ? "upload" : "image", ref: ref.value, weight: ref.weight, vector: await measure((upload ?? image)!.storageKey) });
        recorded.push(ref);
        break;
      }
      case "url": {
        if (!storage) throw new AppError("BAD_REQUEST", "Style reference URLs are taken from the web app and the Mirage API; upload the image and use its id.");
        const bytes = await fetchReferenceImage(ref.value);
        const upload = await createUpload({ db: context.db, storage, log: context.log }, userId, bytes);
        refs.push({ source: "upload", ref: upload.id, weight: ref.weight, vector: await measure(uploadStorageKey(userId, upload.id)) });
        recorded.push(ref);
        break;
      }
      default:
        throw new Error(`unknown style reference kind ${(ref.kind satisfies never) as string}`);
    }
  }
  return {
    params: { styleWeight: recipe.styleWeight, refs, axes: axes.map(({ id, negative, positive, gain }) => ({ id, negative, positive, ...(gain !== undefined && { gain }) })) },
    refs: recorded,
  };
}
