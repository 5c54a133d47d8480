// From a job's stored style references to steering terms for the engine
// (docs/references.md §3). Pure: the vectors were measured at acceptance.
import type { TJobStyleReference } from "./job-params";
import { blendStyleVectors, referenceCoefficients } from "./style";

export interface TSteeringTerm {
  negative: string;
  positive: string;
  coefficient: number;
}

/**
 * The blended style vector and its steering terms, one per axis. At `--sw 0`
 * every coefficient is exactly 0, so the conditioning (and the images) equal
 * those of a job without references.
 */
export function styleReferenceTerms(reference: TJobStyleReference): { vector: number[]; terms: TSteeringTerm[] } {
  const { axes } = reference;
  if (reference.refs.some((ref) => ref.vector.length !== axes.length)) throw new RangeError("a style reference's vector does not match the model's axes");
  const vector = blendStyleVectors(reference.refs.map((ref) => ref.vector), reference.refs.map((ref) => ref.weight));
  const coefficients = referenceCoefficients(vector, axes, reference.styleWeight);
  return { vector, terms: axes.map((axis, k) => ({ negative: axis.negative, positive: axis.positive, coefficient: coefficients[k]! })) };
}
