/**
 * Personalization core benchmark: the acceptance simulation plus refit timing.
 *
 *   node --import tsx bench/personalization/main.ts [--users 20] [--seed 8] [--axes 7]
 *
 * 1. Simulation: synthetic users (hidden w*, U ∈ [1.5, 2.5], |b*| ≤ 0.3, skips on
 *    near-ties) answer 200 pairs from a 7-axis pool, once with active selection and
 *    once with random selection (same users). Prints median/min cos(ŵ, w*), the gap
 *    to Bayes-optimal accuracy on 2,000 fresh pairs, held-out accuracy, skips.
 * 2. Refit time: the per-answer refit inside those sessions (warm start, n = 1…200),
 *    and a cold fit of 200 answers × 8 parameters (7 axes + bias) repeated.
 * 3. Selection time: one active pick from the full pool.
 */
import { parseArgs } from "node:util";
import { createRng, fitProfile, selectNextPair } from "@/lib/personalization";
import { createSyntheticPool, median, simulatePopulation, type TUserOutcome } from "@/tests/support/personalization-simulation";

const { values } = parseArgs({
  options: { users: { type: "string", default: "20" }, seed: { type: "string", default: "8" }, axes: { type: "string", default: "7" } },
});
const users = Number(values.users);
const seed = Number(values.seed);
const axes = Number(values.axes);
const clock = () => performance.now();

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const f3 = (value: number) => value.toFixed(3);

const pool = createSyntheticPool({ axes, seed: 2026 });
console.log(`pool: ${pool.length} pairs, ${axes} axes, 120 groups; ${users} users, seed ${seed}`);

const results: Record<string, TUserOutcome[]> = {};
for (const strategy of ["active", "random"] as const) {
  const start = clock();
  const outcomes = simulatePopulation(pool, { users, strategy, seed, clock });
  results[strategy] = outcomes;
  const cosines = outcomes.map((o) => o.cosine);
  const gaps = outcomes.map((o) => o.bayesAccuracy - o.accuracy);
  console.log(
    `${strategy.padEnd(6)} cos median ${f3(median(cosines))} min ${f3(Math.min(...cosines))} | ` +
      `accuracy ${f3(median(outcomes.map((o) => o.accuracy)))} vs Bayes ${f3(median(outcomes.map((o) => o.bayesAccuracy)))}, gap median ${f3(median(gaps))} max ${f3(Math.max(...gaps))} | ` +
      `held-out acc median ${f3(median(outcomes.map((o) => o.heldOutAccuracy ?? Number.NaN)))} | ` +
      `skips median ${median(outcomes.map((o) => o.skips))} | sign agreement median ${f3(median(outcomes.map((o) => o.signAgreement)))} | ${((clock() - start) / 1000).toFixed(2)} s`,
  );
}

{
  // Robustness: 10 % random clicks, which the fitted model does not know about.
  const outcomes = simulatePopulation(pool, { users, strategy: "active", seed, lapseRate: 0.1 });
  const gaps = outcomes.map((o) => o.bayesAccuracy - o.accuracy);
  console.log(`active, 10 % lapses: cos median ${f3(median(outcomes.map((o) => o.cosine)))} | gap to Bayes median ${f3(median(gaps))} max ${f3(Math.max(...gaps))}`);
}

const refits = (results["active"] ?? []).flatMap((o) => o.fitMillis);
console.log(`refit after each answer (warm, n = 1…200, d = ${axes + 1}): median ${f3(percentile(refits, 50))} ms, p99 ${f3(percentile(refits, 99))} ms, max ${f3(Math.max(...refits))} ms`);

const answers200 = results["active"]?.[0]?.answers.filter((a) => a.choice !== "skip").slice(0, 200) ?? [];
const coldTimes: number[] = [];
let iterations = 0;
for (let i = 0; i < 2000; i++) {
  const start = clock();
  iterations = fitProfile(answers200).iterations;
  coldTimes.push(clock() - start);
}
console.log(`cold fit, 200 answers × ${axes + 1} dims: median ${f3(percentile(coldTimes, 50))} ms, p99 ${f3(percentile(coldTimes, 99))} ms (${iterations} Newton steps)`);

const state = { answers: results["active"]?.[0]?.answers.slice(0, 150) ?? [] };
const fit = fitProfile(state.answers);
const selectTimes: number[] = [];
const rng = createRng(1);
for (let i = 0; i < 500; i++) {
  const start = clock();
  selectNextPair({ ...state, fit }, pool, rng, { heldOutEvery: 1_000_000 });
  selectTimes.push(clock() - start);
}
console.log(`selectNextPair (active, 512 of ${pool.length} candidates scored): median ${f3(percentile(selectTimes, 50))} ms, p99 ${f3(percentile(selectTimes, 99))} ms`);
console.log(`command: node --import tsx bench/personalization/main.ts --users ${users} --seed ${seed} --axes ${axes}`);
