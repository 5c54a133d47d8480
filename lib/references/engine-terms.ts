// From a job's stored style references to steering terms for the engine
// (docs/references.md §3). Called by the worker (the imagine kind's
// engineRequest); image references are measured here, on the pixels the
// worker reads.
import type { RgbImage } from "@/lib/diffusion/pipelines/types";
import type { TJobStyleReference } from "./job-params";
import { measureStyle } from "./measure";
import { blendStyleVectors, referenceCoefficients } from "./style";

export interface TSteeringTerm {
  negative: string;
  positive: string;
  coefficient: number;
}

/**
 * The blended style vector and its steering terms, one per axis. At `--sw 0`
 * no image is read and every coefficient is exactly 0, so the conditioning
 * (and the images) equal those of a job without references.
 */
export async function styleReferenceTerms(
  reference: TJobStyleReference,
  readImage: (storageKey: string, cover: { width: number; height: number }) => Promise<RgbImage>,
): Promise<{ vector: number[]; terms: TSteeringTerm[] }> {
  const { axes } = reference;
  if (reference.styleWeight === 0) return { vector: axes.map(() => 0), terms: axes.map((axis) => ({ negative: axis.negative, positive: axis.positive, coefficient: 0 })) };
  const vectors = await Promise.all(
    reference.refs.map(async (ref) => (ref.kind === "vector" ? ref.vector : measureStyle(await readImage(ref.storageKey, reference.measureSize), axes))),
  );
  if (vectors.some((vector) => vector.length !== axes.length)) throw new RangeError("a style reference's vector does not match the model's axes");
  const vector = blendStyleVectors(vectors, reference.refs.map((ref) => ref.weight));
  const coefficients = referenceCoefficients(vector, axes, reference.styleWeight);
  return { vector, terms: axes.map((axis, k) => ({ negative: axis.negative, positive: axis.positive, coefficient: coefficients[k]! })) };
}
