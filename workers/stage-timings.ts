import { performance } from "node:perf_hooks";

/**
 * Where one job's time goes inside the worker, for the "job completed" log
 * line (bench/e2e reads it to split submit → completed by stage). Only
 * clocks are read here: nothing is charged from these figures (the charge is
 * the engine's inference time, README "What GPU time you are charged for").
 *
 * `database` is the start statement; `finish` is the completion transaction,
 * during which the files are encoded and stored (`files` is inside `finish`,
 * not after it).
 */
export const WORKER_STAGES = ["database", "prepare", "runner", "finish", "files"] as const;
export type WorkerStage = (typeof WORKER_STAGES)[number];

export class StageClock {
  private readonly totals = Object.fromEntries(WORKER_STAGES.map((stage) => [stage, 0])) as Record<WorkerStage, number>;

  /** Runs `work`, adding its wall time to `stage` (also when it throws). */
  async time<T>(stage: WorkerStage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.totals[stage] += performance.now() - started;
    }
  }

  /** Whole milliseconds per stage, for a log line. */
  fields(): Record<`${WorkerStage}Ms`, number> {
    return Object.fromEntries(WORKER_STAGES.map((stage) => [`${stage}Ms`, Math.round(this.totals[stage] * 10) / 10])) as Record<`${WorkerStage}Ms`, number>;
  }
}
