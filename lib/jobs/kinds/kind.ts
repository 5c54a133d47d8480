import type { z } from "zod";
import type { TGenerationRequestInput, RgbImage } from "@/lib/diffusion";

/**
 * What a job kind module declares: everything that differs between kinds,
 * so the services, the worker and the views stay generic. Adding a kind is
 * one module that calls `defineJobKind` plus one line in ../registry.ts
 * (docs/jobs.md walks through it).
 *
 * - `kind` is what the worker runs (the `kind` of the stored params).
 * - `types` are the user actions that produce this kind (stored as the job's
 *   `type`), with the label people read; `fromImage` marks types that always
 *   start from an earlier image, so lineage shows their parent.
 */
export interface JobTypeDeclaration {
  label: string;
  /** The type always starts from one of the user's images (its parent in the lineage). */
  fromImage: boolean;
}

/** How the worker reads a stored image (a source, an image prompt) for a kind's engine request. */
export interface EngineIo {
  readImage(storageKey: string, cover?: { width: number; height: number }): Promise<RgbImage>;
}

/** A params schema: a zod object discriminated by a literal `kind`. */
export type ParamsSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & z.ZodRawShape>;

export interface JobKind<S extends ParamsSchema, T extends string, P = z.infer<S>> {
  kind: z.infer<S>["kind"];
  types: Record<T, JobTypeDeclaration>;
  /** The stored params (validated again by the worker), discriminated by `kind`. */
  params: S;
  /** Width and height of what the job produces. */
  outputSize(params: P): { width: number; height: number };
  /** How many images the job produces. */
  imageCount(params: P): number;
  /**
   * What makes two jobs of this kind cost the same GPU time besides model and
   * quality: the input size and a variant (strength, mode, image weight).
   */
  costShape(params: P): { input: { width: number; height: number }; variant: string };
  /** The engine request the worker runs for these params. */
  engineRequest(params: P, io: EngineIo): Promise<TGenerationRequestInput>;
  /** The upload or image an image prompt refers to, for the job view; null when none. */
  imagePrompt?(params: P): { uploadId?: string; imageId?: string; weight: number } | null;
}

/** Declares a kind; the identity function exists so TypeScript checks the module against JobKind. */
export function defineJobKind<S extends ParamsSchema, T extends string>(kind: JobKind<S, T>): JobKind<S, T> {
  return kind;
}
