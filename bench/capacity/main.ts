/**
 * Capacity planning by simulation: a synthetic day of traffic through the
 * studio's real priority rules (lib/jobs/queue.ts) on N simulated GPUs, for
 * N = 1 … 64. Prints p50/p95 wait per mode, GPU utilisation and Relax
 * starvation, and the smallest N that keeps Fast p95 under 30 s.
 *
 *   node --import tsx bench/capacity/main.ts [--jobs-per-day 1000000] [--users 5000] [--peak 1.6]
 *        [--modes turbo=0.05,fast=0.7,relax=0.25] [--kinds full=0.5,draft=0.25,vary=0.15,upscale=0.1]
 *        [--cost full=…,draft=…,vary=…,upscale=…] [--gpus 1,2,4,6,8,16,32,64] [--seed 1]
 *
 * --cost is the GPU-busy time of one job per kind in ms: a worker's handler
 * time (pick-up to done), not only inference, because a worker takes its next
 * job only when the handler returns. The defaults are mirage-tiny on the
 * 2-core CPU: see MEASURED_COST_MS in lib/capacity/simulate.ts. Pass your own GPU's figures (the "worker
 * busy ms" column of bench/e2e on that host) to plan for it.
 */
import { parseArgs } from "node:util";
import { RELAX_AGING_MS } from "@/lib/jobs/queue";
import { FAST_P95_TARGET_MS, JOB_KIND_NAMES, MEASURED_COST_MS, meetsFastTarget, simulateDay, type Traffic } from "@/lib/capacity/simulate";

const { values } = parseArgs({
  options: {
    "jobs-per-day": { type: "string", default: "1000000" },
    users: { type: "string", default: "5000" },
    peak: { type: "string", default: "1.6" },
    modes: { type: "string", default: "turbo=0.05,fast=0.7,relax=0.25" },
    kinds: { type: "string", default: "full=0.5,draft=0.25,vary=0.15,upscale=0.1" },
    cost: { type: "string" },
    gpus: { type: "string", default: "1,2,4,6,8,16,32,64" },
    sweep: { type: "string", default: "15000" },
    seed: { type: "string", default: "1" },
  },
});

function shares<K extends string>(flag: string, text: string, keys: readonly K[]): Record<K, number> {
  const entries = text.split(",").map((pair) => pair.split("="));
  const out = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const [key, value] of entries) {
    if (!keys.includes(key as K) || !Number.isFinite(Number(value))) throw new Error(`--${flag}: "${key}=${value}" (keys: ${keys.join(", ")})`);
    out[key as K] = Number(value);
  }
  return out;
}

const KIND_NAMES = JOB_KIND_NAMES;
const modes = shares("modes", values.modes, ["turbo", "fast", "relax"] as const);
const kinds = shares("kinds", values.kinds, KIND_NAMES);
const normalise = <K extends string>(record: Record<K, number>) => {
  const total = Object.values<number>(record).reduce((sum, value) => sum + value, 0);
  return Object.fromEntries(Object.entries<number>(record).map(([key, value]) => [key, value / total])) as Record<K, number>;
};
const costMs = values.cost ? { ...MEASURED_COST_MS, ...shares("cost", values.cost, KIND_NAMES) } : MEASURED_COST_MS;
const traffic: Traffic = {
  jobsPerDay: Number(values["jobs-per-day"]),
  users: Number(values.users),
  peakToMean: Number(values.peak),
  modes: normalise(modes),
  kinds: normalise(kinds),
};
const gpuCounts = values.gpus.split(",").map(Number);
const command = `node --import tsx bench/capacity/main.ts --jobs-per-day ${traffic.jobsPerDay} --users ${traffic.users} --peak ${traffic.peakToMean} --modes ${values.modes} --kinds ${values.kinds} --cost ${KIND_NAMES.map((k) => `${k}=${costMs[k]}`).join(",")} --gpus ${values.gpus} --seed ${values.seed}`;

const meanCost = KIND_NAMES.reduce((sum, kind) => sum + traffic.kinds[kind] * costMs[kind], 0);
const offeredGpus = (traffic.jobsPerDay * meanCost) / (24 * 3600_000);
const started = performance.now();
const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(ms < 10_000 ? 2 : 0) : "—");
const rows = gpuCounts.map((gpus) => simulateDay({ gpus, traffic, costMs, sweepMs: Number(values.sweep), seed: Number(values.seed) }));

console.log(`# ${command}`);
console.log(
  `# ${traffic.jobsPerDay} jobs/day (peak ${traffic.peakToMean}× the mean rate at 18:00), ${traffic.users} users (Zipf), mean job ${meanCost.toFixed(0)} ms GPU-busy: ` +
    `offered load ${offeredGpus.toFixed(2)} GPUs on average, ${(offeredGpus * traffic.peakToMean).toFixed(2)} at the peak; Relax ages after ${RELAX_AGING_MS / 60_000} min`,
);
console.table(
  rows.map((row) => ({
    GPUs: row.gpus,
    utilisation: `${(row.utilisation * 100).toFixed(1)} %`,
    "turbo p50/p95 s": `${seconds(row.waits.turbo.p50Ms)} / ${seconds(row.waits.turbo.p95Ms)}`,
    "fast p50/p95 s": `${seconds(row.waits.fast.p50Ms)} / ${seconds(row.waits.fast.p95Ms)}`,
    "relax p50/p95 s": `${seconds(row.waits.relax.p50Ms)} / ${seconds(row.waits.relax.p95Ms)}`,
    "relax max wait s": seconds(row.waits.relax.maxMs),
    "relax aged": row.relaxAged,
    "relax waiting at 24:00": row.relaxWaitingAtEndOfDay,
  })),
);
const enough = rows.find(meetsFastTarget);
console.log(
  enough
    ? `with this mix, ${enough.gpus} GPU${enough.gpus === 1 ? "" : "s"} keep Fast p95 under ${FAST_P95_TARGET_MS / 1000} s (${seconds(enough.waits.fast.p95Ms)} s)`
    : `with this mix, none of ${gpuCounts.join(", ")} GPUs keeps Fast p95 under ${FAST_P95_TARGET_MS / 1000} s`,
);
console.log(`simulated ${rows.length} days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`command: ${command}`);
