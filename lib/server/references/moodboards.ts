import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { profileCode } from "@/lib/personalization";
import { MOODBOARD_LIMITS, type TMoodboard, type TMoodboardImageRef } from "@/lib/schemas/moodboards";
import { modelStyle } from "@/lib/server/personalization/axes";
import type { ObjectStore } from "@/lib/storage";
import { measureStoredImage, referenceAxes } from "./measure-stored";

/**
 * Moodboards (docs/references.md §5): a named set of the user's uploads and
 * results whose mean style, measured on the model's axes when each image is
 * added, is a profile usable with `--p CODE`. Every use case takes the owner
 * in its `where`, so someone else's moodboard or image reads as not found.
 */
export interface TMoodboardContext {
  db: Db;
  storage: ObjectStore;
  log: Logger;
  modelsDir: string;
  defaultModelId: string;
}

const SELECT = {
  id: true,
  name: true,
  modelId: true,
  code: true,
  createdAt: true,
  items: { orderBy: { createdAt: "asc" }, select: { id: true, uploadId: true, imageId: true, style: true } },
} as const;

type TMoodboardRow = { id: string; name: string; modelId: string; code: string; createdAt: Date; items: { id: string; uploadId: string | null; imageId: string | null; style: number[] }[] };

/** The mean of the items' style vectors: every image counts the same. */
export function moodboardStyle(items: readonly { style: readonly number[] }[]): number[] | null {
  const first = items[0];
  if (!first) return null;
  return first.style.map((_, k) => items.reduce((sum, item) => sum + (item.style[k] ?? 0), 0) / items.length);
}

async function toView(row: TMoodboardRow, modelsDir: string): Promise<TMoodboard> {
  const style = moodboardStyle(row.items);
  const axes = style ? (await modelStyle(modelsDir, row.modelId).catch(() => null))?.axes : undefined;
  return {
    id: row.id,
    name: row.name,
    model: row.modelId,
    code: row.code,
    images: row.items.map((item) => ({
      id: item.id,
      uploadId: item.uploadId,
      imageId: item.imageId,
      thumbUrl: item.uploadId ? `/api/v1/uploads/${item.uploadId}/file?size=thumb` : `/api/v1/images/${item.imageId}/file?size=thumb`,
    })),
    style: style ? style.map((value, k) => ({ axis: axes?.[k]?.id ?? `axis ${k + 1}`, value })) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function ownMoodboard(db: Db, userId: string, id: string): Promise<TMoodboardRow> {
  const row = await db.moodboard.findFirst({ where: { id, userId }, select: SELECT });
  if (!row) throw new AppError("NOT_FOUND", "No such moodboard.");
  return row;
}

export async function listMoodboards(context: Pick<TMoodboardContext, "db" | "modelsDir">, userId: string): Promise<TMoodboard[]> {
  const rows = await context.db.moodboard.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: MOODBOARD_LIMITS.perUser, select: SELECT });
  return Promise.all(rows.map((row) => toView(row, context.modelsDir)));
}

/** The model's axes a moodboard is measured on; a model without measurable axes cannot have moodboards. */
async function axesOf(context: TMoodboardContext, modelId: string) {
  const found = await referenceAxes(context.modelsDir, modelId);
  if (!found) throw new AppError("BAD_REQUEST", `${modelId} cannot measure images for a moodboard: its mirage.json declares no style axes with a statistic_range.`);
  return found;
}

/** Measures each image (the caller's upload or result) and adds the new ones; already present ones are skipped. */
async function addItems(context: TMoodboardContext, userId: string, board: TMoodboardRow, refs: readonly TMoodboardImageRef[]) {
  if (board.items.length + refs.length > MOODBOARD_LIMITS.images) {
    throw new AppError("BAD_REQUEST", `A moodboard holds at most ${MOODBOARD_LIMITS.images} images; this one has ${board.items.length}. Remove some first.`);
  }
  const { axes, size } = await axesOf(context, board.modelId);
  const present = new Set(board.items.flatMap((item) => [item.uploadId, item.imageId]).filter(Boolean));
  for (const ref of refs) {
    const id = "uploadId" in ref ? ref.uploadId : ref.imageId;
    if (present.has(id)) continue;
    const source =
      "uploadId" in ref
        ? await context.db.upload.findFirst({ where: { id: ref.uploadId, userId }, select: { storageKey: true } })
        : await context.db.image.findFirst({ where: { id: ref.imageId, userId, deletedAt: null }, select: { storageKey: true } });
    if (!source) throw new AppError("NOT_FOUND", `No ${"uploadId" in ref ? "upload" : "image"} ${id} of yours to add to the moodboard.`);
    const style = await measureStoredImage(context.storage, source.storageKey, axes, size);
    await context.db.moodboardItem.create({ data: { moodboardId: board.id, storageKey: source.storageKey, style, ...("uploadId" in ref ? { uploadId: ref.uploadId } : { imageId: ref.imageId }) } });
    present.add(id);
  }
}

/** A new moodboard for the default model with a code no profile or moodboard has. */
export async function createMoodboard(context: TMoodboardContext, userId: string, input: { name: string; images?: TMoodboardImageRef[] | undefined }): Promise<TMoodboard> {
  const count = await context.db.moodboard.count({ where: { userId } });
  if (count >= MOODBOARD_LIMITS.perUser) throw new AppError("CONFLICT", `You have ${count} moodboards, the most Mirage keeps; delete one to make another.`);
  const modelId = context.defaultModelId;
  await axesOf(context, modelId);
  const board = await context.db.$transaction(async (tx) => {
    const created = await tx.moodboard.create({ data: { userId, name: input.name, modelId, code: `pending-${crypto.randomUUID()}` }, select: { id: true } });
    // Codes share one space with profile codes, so `--p CODE` finds exactly one thing.
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = profileCode(`moodboard:${created.id}`, 0, attempt);
      const taken = (await tx.profileVersion.count({ where: { code } })) + (await tx.moodboard.count({ where: { code } }));
      if (taken === 0) return tx.moodboard.update({ where: { id: created.id }, data: { code }, select: SELECT });
    }
    throw new Error("could not find a free moodboard code");
  });
  if (input.images && input.images.length > 0) {
    await addItems(context, userId, board, input.images);
    return toView(await ownMoodboard(context.db, userId, board.id), context.modelsDir);
  }
  context.log.info({ userId, moodboardId: board.id }, "moodboard created");
  return toView(board, context.modelsDir);
}

export async function addMoodboardImages(context: TMoodboardContext, userId: string, id: string, refs: TMoodboardImageRef[]): Promise<TMoodboard> {
  await addItems(context, userId, await ownMoodboard(context.db, userId, id), refs);
  return toView(await ownMoodboard(context.db, userId, id), context.modelsDir);
}

export async function removeMoodboardImage(context: TMoodboardContext, userId: string, id: string, itemId: string): Promise<TMoodboard> {
  await ownMoodboard(context.db, userId, id);
  const { count } = await context.db.moodboardItem.deleteMany({ where: { id: itemId, moodboardId: id } });
  if (count === 0) throw new AppError("NOT_FOUND", "That image is not on this moodboard.");
  return toView(await ownMoodboard(context.db, userId, id), context.modelsDir);
}

export async function renameMoodboard(context: TMoodboardContext, userId: string, id: string, name: string): Promise<TMoodboard> {
  const { count } = await context.db.moodboard.updateMany({ where: { id, userId }, data: { name } });
  if (count === 0) throw new AppError("NOT_FOUND", "No such moodboard.");
  return toView(await ownMoodboard(context.db, userId, id), context.modelsDir);
}

export async function deleteMoodboard(context: Pick<TMoodboardContext, "db">, userId: string, id: string): Promise<void> {
  const { count } = await context.db.moodboard.deleteMany({ where: { id, userId } });
  if (count === 0) throw new AppError("NOT_FOUND", "No such moodboard.");
}

/**
 * Moodboards named by `--p` codes, as profiles: weights whose steering
 * preference tanh(w) is the moodboard's mean style, and no uncertainty.
 * Codes are shareable like profile codes, so any user's moodboard is found.
 */
export async function moodboardProfiles(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  const rows = await db.moodboard.findMany({ where: { code: { in: [...codes] } }, select: { code: true, modelId: true, name: true, items: { select: { style: true } } } });
  return rows.map((row) => ({ code: row.code, modelId: row.modelId, name: row.name, style: moodboardStyle(row.items) }));
}
