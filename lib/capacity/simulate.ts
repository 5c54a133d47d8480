/**
 * A day of traffic through the studio's real queue order, on N simulated
 * GPUs. Priorities come from lib/jobs/queue.ts (`priorityFor`, the Relax
 * usage order, `RELAX_AGING_MS` and `AGED_RELAX_PRIORITY`), applied the way
 * BullMQ and the maintenance sweep apply them: lower priority first, first
 * come first served within one priority, aged Relax jobs moved to the bottom
 * of the Fast band by a sweep every `sweepMs` (re-queued behind the jobs
 * already there, as `changePriority` does). A GPU runs one job at a time.
 */
import { AGED_RELAX_PRIORITY, priorityFor, RELAX_AGING_MS } from "@/lib/jobs/queue";
import type { TJobMode } from "@/lib/jobs/model";

export const JOB_KIND_NAMES = ["full", "draft", "vary", "upscale"] as const;
export type JobKindName = (typeof JOB_KIND_NAMES)[number];

/**
 * GPU-busy ms per kind for mirage-tiny on the 2-core CPU when it is quiet:
 * bench/pipeline's grid walls (full 597, draft 87 ms; docs/benchmarks.md) plus
 * ≈ 50 ms of worker overhead; Vary and Upscale at the ratio of their worker
 * busy time to a full grid's that bench/e2e measured in one run (0.50 and
 * 0.054, bench/e2e/RESULTS.md; that machine was loaded, so only ratios carry).
 * The admin estimate falls back to these for a kind the studio has not run.
 */
export const MEASURED_COST_MS: Record<JobKindName, number> = { full: 650, draft: 140, vary: 320, upscale: 85 };

/** What the estimate plans for: Fast jobs wait under 30 s at the 95th percentile. */
export const FAST_P95_TARGET_MS = 30_000;
/** The fleet sizes tried, smallest first. */
export const FLEET_SIZES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64] as const;

/** Whether a simulated day meets the target (a day without Fast jobs does). */
export function meetsFastTarget(result: SimulationResult): boolean {
  return !(result.waits.fast.p95Ms >= FAST_P95_TARGET_MS);
}

export interface Traffic {
  /** Jobs submitted over the simulated day. */
  jobsPerDay: number;
  /** Share of jobs per mode (sums to 1). */
  modes: Record<TJobMode, number>;
  /** Share of jobs per kind (sums to 1). */
  kinds: Record<JobKindName, number>;
  /** Distinct users; activity follows a Zipf law (a few heavy users). */
  users: number;
  /** Peak-to-mean ratio of the daily cycle (1: flat). */
  peakToMean: number;
}

export interface SimulationOptions {
  gpus: number;
  traffic: Traffic;
  /** GPU-busy milliseconds per job of each kind (a worker's handler time, from measured runs). */
  costMs: Record<JobKindName, number>;
  /** How often the aging sweep runs (MAINTENANCE_INTERVAL_MS). */
  sweepMs: number;
  seed: number;
}

export interface ModeWaits {
  jobs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface SimulationResult {
  gpus: number;
  waits: Record<TJobMode, ModeWaits>;
  /** Busy GPU time ÷ (GPUs × the time until the last job finished). */
  utilisation: number;
  /** Relax jobs that waited past the aging threshold (they were moved up). */
  relaxAged: number;
  /** Relax jobs still waiting at the end of the day (24 h), and the oldest one's wait then. */
  relaxWaitingAtEndOfDay: number;
  oldestRelaxAtEndOfDayMs: number;
}

const DAY_MS = 24 * 3600_000;
const MODES: TJobMode[] = ["turbo", "fast", "relax"];

/** mulberry32: small, fast, seedable; the same seed gives the same day. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<K extends string>(shares: Record<K, number>, u: number): K {
  let acc = 0;
  const keys = Object.keys(shares) as K[];
  for (const key of keys) {
    acc += shares[key];
    if (u < acc) return key;
  }
  return keys[keys.length - 1]!;
}

interface SimJob {
  arrival: number;
  mode: TJobMode;
  kind: JobKindName;
  user: number;
  started: boolean;
  aged: boolean;
}

/** A job's place in the queue; re-prioritizing pushes a new entry and leaves the old one stale. */
interface Entry {
  job: SimJob;
  priority: number;
  seq: number;
  stale: boolean;
}

/** Binary heap ordered by (priority, seq): BullMQ's prioritized set. */
class JobHeap {
  private readonly items: Entry[] = [];
  /** Live entries (stale ones are dropped when they reach the top). */
  size = 0;
  private static less(a: Entry, b: Entry): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }
  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    this.size += 1;
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!JobHeap.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  /** Marks an entry dead (its job moved to another priority). */
  retire(entry: Entry): void {
    entry.stale = true;
    this.size -= 1;
  }
  pop(): SimJob | undefined {
    for (;;) {
      const top = this.popRaw();
      if (!top) return undefined;
      if (top.stale) continue;
      this.size -= 1;
      return top.job;
    }
  }
  private popRaw(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && JobHeap.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && JobHeap.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Arrival times over one day: a Poisson process whose rate follows a daily cycle (peak at 18:00). */
function arrivals(traffic: Traffic, rand: () => number): number[] {
  const mean = traffic.jobsPerDay / DAY_MS;
  const amplitude = Math.min(1, Math.max(0, traffic.peakToMean - 1));
  const rate = (t: number) => mean * (1 + amplitude * Math.cos((2 * Math.PI * (t - 18 * 3600_000)) / DAY_MS));
  const peak = mean * (1 + amplitude);
  const times: number[] = [];
  // Thinning: candidates at the peak rate, each kept with probability rate(t) / peak.
  for (let t = -Math.log(1 - rand()) / peak; t < DAY_MS; t += -Math.log(1 - rand()) / peak) {
    if (rand() < rate(t) / peak) times.push(t);
  }
  return times;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function simulateDay(options: SimulationOptions): SimulationResult {
  const rand = random(options.seed);
  const { traffic, costMs } = options;
  // Zipf weights: user k is 1/(k+1) as active as the first.
  const weights = Array.from({ length: traffic.users }, (_, k) => 1 / (k + 1));
  const cumulative = new Float64Array(traffic.users);
  weights.reduce((sum, w, k) => (cumulative[k] = sum + w), 0);
  const totalWeight = cumulative[traffic.users - 1]!;
  const pickUser = () => {
    const u = rand() * totalWeight;
    let lo = 0;
    let hi = traffic.users - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const relaxMsByUser = new Float64Array(traffic.users);

  const times = arrivals(traffic, rand);
  const queue = new JobHeap();
  /** When each GPU becomes free (a min-heap would pay off only at hundreds of GPUs). */
  const freeAt = new Float64Array(options.gpus);
  const waits: Record<TJobMode, number[]> = { turbo: [], fast: [], relax: [] };
  let seq = 0;
  let busyMs = 0;
  let relaxAged = 0;
  let lastFinish = 0;
  let nextSweep = options.sweepMs;
  let endOfDay: { waiting: number; oldest: number } | undefined;

  const start = (job: SimJob, at: number, gpu: number) => {
    job.started = true;
    waits[job.mode].push(at - job.arrival);
    const cost = costMs[job.kind];
    freeAt[gpu] = at + cost;
    busyMs += cost;
    lastFinish = Math.max(lastFinish, at + cost);
    // Relax time used orders the user's later Relax jobs (priorityFor's relaxMinutes).
    if (job.mode === "relax") relaxMsByUser[job.user] = relaxMsByUser[job.user]! + cost;
  };
  /** Waiting Relax jobs in arrival order, with their queue entries: the sweep takes them from the front. */
  const relaxWaiting: Entry[] = [];
  let relaxHead = 0;
  const sweep = (at: number) => {
    while (relaxHead < relaxWaiting.length && at - relaxWaiting[relaxHead]!.job.arrival > RELAX_AGING_MS) {
      const entry = relaxWaiting[relaxHead++]!;
      if (entry.job.started) continue;
      queue.retire(entry);
      entry.job.aged = true;
      queue.push({ job: entry.job, priority: AGED_RELAX_PRIORITY, seq: seq++, stale: false });
      relaxAged += 1;
    }
  };
  /** Runs queued jobs on the GPUs that are free by `until`, in time order, with the sweeps in between. */
  const drain = (until: number) => {
    for (;;) {
      let gpu = 0;
      for (let g = 1; g < options.gpus; g += 1) if (freeAt[g]! < freeAt[gpu]!) gpu = g;
      const at = freeAt[gpu]!;
      if (nextSweep <= Math.min(at, until)) {
        sweep(nextSweep);
        if (!endOfDay && nextSweep >= DAY_MS) endOfDay = endOfDayState(nextSweep);
        nextSweep += options.sweepMs;
        continue;
      }
      if (at > until || queue.size === 0) return;
      start(queue.pop()!, at, gpu);
    }
  };
  const endOfDayState = (at: number) => {
    let waiting = 0;
    let oldest = 0;
    for (let i = 0; i < relaxWaiting.length; i += 1) {
      const { job } = relaxWaiting[i]!;
      if (job.started || job.arrival > at) continue;
      waiting += 1;
      oldest = Math.max(oldest, at - job.arrival);
    }
    return { waiting, oldest };
  };

  for (const arrival of times) {
    drain(arrival);
    const mode = pick(traffic.modes, rand());
    const user = pickUser();
    const job: SimJob = { arrival, mode, kind: pick(traffic.kinds, rand()), user, started: false, aged: false };
    // A GPU idle now takes the job at once; otherwise it waits in the queue.
    let idle = -1;
    for (let g = 0; g < options.gpus; g += 1) if (freeAt[g]! <= arrival && (idle < 0 || freeAt[g]! < freeAt[idle]!)) idle = g;
    if (idle >= 0 && queue.size === 0) {
      start(job, arrival, idle);
      continue;
    }
    const entry: Entry = { job, priority: priorityFor(mode, Math.floor(relaxMsByUser[user]! / 60_000)), seq: seq++, stale: false };
    queue.push(entry);
    if (mode === "relax") relaxWaiting.push(entry);
  }
  drain(Number.POSITIVE_INFINITY);
  endOfDay ??= { waiting: 0, oldest: 0 };

  const summary = (mode: TJobMode): ModeWaits => {
    const sorted = Float64Array.from(waits[mode]).sort();
    return { jobs: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN };
  };
  return {
    gpus: options.gpus,
    waits: Object.fromEntries(MODES.map((mode) => [mode, summary(mode)])) as Record<TJobMode, ModeWaits>,
    utilisation: busyMs / (options.gpus * Math.max(lastFinish, DAY_MS)),
    relaxAged,
    relaxWaitingAtEndOfDay: endOfDay.waiting,
    oldestRelaxAtEndOfDayMs: endOfDay.oldest,
  };
}

/**
 * The smallest fleet that keeps Fast p95 under the target for this traffic,
 * with its simulated day; null when even the largest size does not. Sizes
 * below the mean offered load are skipped (their queue only grows).
 */
export function smallestFleet(options: Omit<SimulationOptions, "gpus">, sizes: readonly number[] = FLEET_SIZES): SimulationResult | null {
  const meanCostMs = JOB_KIND_NAMES.reduce((sum, kind) => sum + options.traffic.kinds[kind] * options.costMs[kind], 0);
  const offered = (options.traffic.jobsPerDay * meanCostMs) / DAY_MS;
  for (const gpus of sizes) {
    if (gpus < Math.floor(offered) && gpus !== sizes[sizes.length - 1]) continue;
    const result = simulateDay({ ...options, gpus });
    if (meetsFastTarget(result)) return result;
  }
  return null;
}
