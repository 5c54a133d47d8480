import { z } from "zod";
import type { EngineIo, JobTypeDeclaration } from "./kinds/kind";
import { editKind } from "./kinds/edit";
import { imagineKind } from "./kinds/imagine";
import { upscaleKind } from "./kinds/upscale";
import { varyKind } from "./kinds/vary";

/**
 * Every job kind the studio runs, one line each. Everything that lists kinds
 * or job types — the params union, the `type` enum of the API and the
 * database, labels, the worker's dispatch, cost estimates — derives from
 * this list; tests/unit/jobs/registry.test.ts fails when something is
 * registered in one place but not another.
 */
export const JOB_KINDS = [imagineKind, varyKind, upscaleKind, editKind] as const;

/**
 * Types that belong to no single kind: Rerun repeats any job's params (with
 * new seeds, or the same ones), so its kind is the parent job's.
 */
const ANY_KIND_TYPES = {
  rerun: { label: "Rerun", fromImage: false },
} as const satisfies Record<string, JobTypeDeclaration>;

type TKindModule = (typeof JOB_KINDS)[number];
export type TJobKind = TKindModule["kind"];
export type TJobParams = z.infer<TKindModule["params"]>;
/** Distributes over the kinds: each kind's own type names (keyof a union would keep only shared ones). */
type TypesOf<K> = K extends { types: infer T } ? keyof T & string : never;
export type TJobType = TypesOf<TKindModule> | keyof typeof ANY_KIND_TYPES;

/** What a worker runs for one job, decided at acceptance and stored on its row. */
export const ZJobParams = z.discriminatedUnion(
  "kind",
  JOB_KINDS.map((kind) => kind.params) as unknown as [TKindModule["params"], ...TKindModule["params"][]],
);

export const JOB_TYPE_DECLARATIONS: Record<TJobType, JobTypeDeclaration> = Object.assign(
  {},
  ...JOB_KINDS.map((kind) => kind.types),
  ANY_KIND_TYPES,
);

export const JOB_TYPES = Object.keys(JOB_TYPE_DECLARATIONS) as [TJobType, ...TJobType[]];

export const JOB_TYPE_LABELS = Object.fromEntries(JOB_TYPES.map((type) => [type, JOB_TYPE_DECLARATIONS[type].label])) as Record<TJobType, string>;

/** Job types that always start from an earlier image: their parent is part of the lineage. */
export const FROM_IMAGE_JOB_TYPES = JOB_TYPES.filter((type) => JOB_TYPE_DECLARATIONS[type].fromImage);

/** The kind module for stored params (the params' `kind` selects it). */
function kindOf<P extends TJobParams>(params: P): (typeof JOB_KINDS)[number] & { outputSize(p: P): { width: number; height: number } } {
  const kind = JOB_KINDS.find((candidate) => candidate.kind === params.kind);
  if (!kind) throw new Error(`no job kind "${params.kind}" is registered`);
  // The params were parsed by this kind's own schema (ZJobParams discriminates on `kind`).
  return kind as never;
}

/** Width and height of what a job produces. */
export function outputSize(params: TJobParams): { width: number; height: number } {
  return kindOf(params).outputSize(params as never);
}

/** How many images a job produces. */
export function imageCount(params: TJobParams): number {
  return kindOf(params).imageCount(params as never);
}

/** Input size and cost variant (see lib/server/accounting/estimate.ts). */
export function costShape(params: TJobParams): { input: { width: number; height: number }; variant: string } {
  return kindOf(params).costShape(params as never);
}

/** The engine request a job's stored params map to. */
export function engineRequest(params: TJobParams, io: EngineIo) {
  return kindOf(params).engineRequest(params as never, io);
}

/** The image prompt of a job, if its kind has one. */
export function imagePromptOf(params: TJobParams): { uploadId?: string; imageId?: string; weight: number } | null {
  const kind = kindOf(params) as { imagePrompt?: (p: never) => ReturnType<typeof imagePromptOf> };
  return kind.imagePrompt?.(params as never) ?? null;
}
