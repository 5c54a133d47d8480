// Personalization core: pure, deterministic, isomorphic maths (no I/O, no
// Prisma, no Node-only APIs), shared by the API, the worker and the browser.
//
//   answers ──fitProfile──▶ TProfileFit ──profileMetrics──▶ quality metrics
//      ▲                        │
//      └──selectNextPair◀───────┘          (refit after every answer, < 1 ms)
//   profileCode(user, version) → `--p` code;  blendProfiles → `--p a b`
//   styleSteering(weights, axes, --s) → per-axis conditioning coefficients
//
// Modules: linalg.ts (Cholesky & co.), rng.ts (seeded), fit.ts (Bayesian
// Bradley–Terry, Newton/IRLS + Laplace), select.ts (probe → active D-optimal,
// held-out audits, swapped retests), metrics.ts, unlock.ts, codes.ts,
// steering.ts. Synthetic pools and users for tests and benches live in
// tests/support/personalization-simulation.ts, outside the production code.
export type { TAnswer, TCandidatePair, TChoice, TFitOptions, TPairKind, TPairSelection, TProfileFit } from "./types";
export { FIT_DEFAULTS, fitProfile, predictLeft } from "./fit";
export { SELECTION_DEFAULTS, dominantAxis, selectNextPair, type TSelectionOptions, type TSelectionState } from "./select";
export { profileMetrics, type TProfileMetrics } from "./metrics";
export { UNLOCK_THRESHOLD, isUnlocked, rankedCount } from "./unlock";
export { PROFILE_CODE_LENGTH, blendProfiles, isProfileCode, profileCode } from "./codes";
export {
  STYLIZE_MAX,
  STYLIZE_MIN,
  STYLIZE_STANDARD,
  styleSteering,
  stylizeStrength,
  type TSteeringAxis,
  type TSteeringOptions,
  type TStyleSteering,
} from "./steering";
export { cosine } from "./linalg";
export { createRng, type TRng } from "./rng";
