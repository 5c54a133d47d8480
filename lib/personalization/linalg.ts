// Small dense linear algebra for the personalization model.
//
// The model has d = K + 1 ≤ ~25 parameters (K style axes + a position bias), so
// plain row-major Float64Arrays and an unblocked Cholesky are the fastest choice
// in JS: no allocation per element, no library, and O(d³) ≈ 500 flops at d = 8.
// A symmetric d×d matrix is stored as a flat array, element (i, j) at i·d + j.

export type TVector = readonly number[] | Float64Array;

export function dot(a: TVector, b: TVector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function norm(a: TVector): number {
  return Math.sqrt(dot(a, a));
}

/** cos(a, b); 0 when either vector is zero (no direction to agree with). */
export function cosine(a: TVector, b: TVector): number {
  const denominator = norm(a) * norm(b);
  return denominator > 0 ? dot(a, b) / denominator : 0;
}

/** Logistic function σ(t) = 1 / (1 + e^{−t}), written to avoid overflow for large |t|. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** log σ(t) without cancellation: −log(1 + e^{−t}). */
export function logSigmoid(t: number): number {
  return t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
}

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite d×d
 * matrix; the lower triangle of `a` is overwritten with L (the upper triangle is
 * left as it was and must be ignored). Returns false when A is not numerically
 * positive definite. The Hessians here are Λ₀ + Σ c·x·xᵀ with Λ₀ ≻ 0, so failure
 * means non-finite input, not an ill-posed model.
 */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let diagonal = a[j * d + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * d + k]! ** 2;
    if (!(diagonal > 0)) return false;
    const ljj = Math.sqrt(diagonal);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = sum / ljj;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b given the factor from `choleskyInPlace`; writes x into `out` (may alias b). */
export function choleskySolve(l: Float64Array, d: number, b: TVector, out: Float64Array): Float64Array {
  // Forward substitution L·y = b, then back substitution Lᵀ·x = y.
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * d + k]! * out[k]!;
    out[i] = sum / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let sum = out[i]!;
    for (let k = i + 1; k < d; k++) sum -= l[k * d + i]! * out[k]!;
    out[i] = sum / l[i * d + i]!;
  }
  return out;
}

/** A⁻¹ from the Cholesky factor of A (column by column; symmetric by construction up to rounding, then symmetrised). */
export function choleskyInverse(l: Float64Array, d: number): Float64Array {
  const inverse = new Float64Array(d * d);
  const unit = new Float64Array(d);
  const column = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    unit.fill(0);
    unit[j] = 1;
    choleskySolve(l, d, unit, column);
    for (let i = 0; i < d; i++) inverse[i * d + j] = column[i]!;
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const mean = (inverse[i * d + j]! + inverse[j * d + i]!) / 2;
      inverse[i * d + j] = mean;
      inverse[j * d + i] = mean;
    }
  }
  return inverse;
}

/** xᵀ·S·x for a flat symmetric d×d matrix S, reading x from `offset` (so rows of a design matrix need no copy). */
export function quadraticForm(s: TVector, d: number, x: TVector, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const xi = x[offset + i]!;
    if (xi === 0) continue;
    let row = 0;
    for (let j = 0; j < d; j++) row += s[i * d + j]! * x[offset + j]!;
    sum += xi * row;
  }
  return sum;
}

/** Flat d×d → nested rows, for results that leave the library (JSON-friendly). */
export function toRows(flat: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));
}
