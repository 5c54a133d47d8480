// Profile codes and blends (`--p CODE`, `--p CODE CODE`).
import { norm } from "./linalg";

export const PROFILE_CODE_LENGTH = 8;
const CODE_SPACE = 36 ** PROFILE_CODE_LENGTH; // ≈ 2.8·10¹² ≈ 2^41.4
const PROFILE_CODE_PATTERN = /^[a-z0-9]{8}$/;

/** The 32-bit avalanche finaliser: every input bit flips each output bit with probability ≈ ½. */
function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 53-bit hash of a string: two independent 32-bit multiplicative lanes over the
 * UTF-8 bytes (different primes and a rotation, so they do not collide together),
 * cross-mixed and finalised. Isomorphic and synchronous (no WebCrypto promise),
 * and not a secret: codes are shareable by design.
 */
function hash53(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let a = 0x811c9dc5;
  let b = 0x27d4eb2f ^ bytes.length;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(((b << 5) | (b >>> 27)) ^ byte, 0x9e3779b1);
  }
  const high = avalanche(a ^ Math.imul(b, 0x2545f491));
  const low = avalanche(b + high);
  return (high >>> 11) * 2 ** 32 + low; // 21 + 32 = 53 bits, exact in a double
}

/**
 * Short shareable code of one immutable profile version: 8 characters of
 * [a-z0-9] derived from a hash of (userId, version, attempt). Stable — the same
 * inputs give the same code forever, so it can be recomputed and tested — and
 * uniformly spread over 36⁸ ≈ 2.8·10¹² values. Hash codes cannot be collision
 * free: among N versions a collision has probability ≈ N² / 5.6·10¹² (10⁵
 * versions → 0.2 %), so storage keeps `code` unique and, on a conflict, stores
 * `profileCode(userId, version, attempt + 1)` instead.
 *
 * The input is length-prefixed so ("ab", 1) and ("a", "b1")-style splits can
 * never produce the same string. The modulo bias of 2⁵³ mod 36⁸ is < 0.04 %.
 */
export function profileCode(userId: string, version: number, attempt = 0): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`profileCode: version must be a non-negative integer, got ${version}`);
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`profileCode: attempt must be a non-negative integer, got ${attempt}`);
  const value = hash53(`mirage-profile:${userId.length}:${userId}:${version}:${attempt}`) % CODE_SPACE;
  return value.toString(36).padStart(PROFILE_CODE_LENGTH, "0");
}

export function isProfileCode(text: string): boolean {
  return PROFILE_CODE_PATTERN.test(text);
}

/**
 * Blend of several profiles' weights (`--p a b`, or `--p a::2 b::1` with
 * `coefficients`):
 *
 *   w = m̄ · Σ c_i ŵ_i/‖ŵ_i‖ / Σ c_i,    m̄ = Σ c_i ‖ŵ_i‖ / Σ c_i
 *
 * i.e. the weighted average of the unit-normalised directions, rescaled by the
 * weighted average strength. Why normalise: ‖ŵ‖ grows with how decisive and how
 * consistent a user was, so a plain average of raw weights lets one confident
 * profile drown the others; averaging directions gives every code the say its
 * coefficient asks for. Why rescale by m̄ instead of keeping a unit vector: a code
 * blended with itself (or alone) stays that code, blends stay on the scale the
 * steering curve was tuned for, and opposite tastes cancel towards 0 rather than
 * being renormalised into an arbitrary direction. A zero profile has no direction
 * and contributes only its (zero) strength.
 */
export function blendProfiles(weightsList: readonly (readonly number[])[], coefficients?: readonly number[]): number[] {
  const first = weightsList[0];
  if (!first) throw new RangeError("blendProfiles: no profiles");
  const k = first.length;
  if (weightsList.some((weights) => weights.length !== k)) throw new RangeError("blendProfiles: profiles have different axis counts");
  if (coefficients && coefficients.length !== weightsList.length) throw new RangeError("blendProfiles: one coefficient per profile");
  const c = coefficients ?? weightsList.map(() => 1);
  if (c.some((ci) => !(ci >= 0) || !Number.isFinite(ci))) throw new RangeError("blendProfiles: coefficients must be finite and ≥ 0");
  const total = c.reduce((sum, ci) => sum + ci, 0);
  if (!(total > 0)) throw new RangeError("blendProfiles: coefficients sum to 0");
  if (weightsList.length === 1) return [...first];

  const direction = new Array<number>(k).fill(0);
  let strength = 0;
  weightsList.forEach((weights, i) => {
    const length = norm(weights);
    const ci = c[i]!;
    strength += (ci * length) / total;
    if (length === 0) return;
    for (let j = 0; j < k; j++) direction[j] = direction[j]! + (ci * weights[j]!) / (length * total);
  });
  return direction.map((value) => value * strength);
}
