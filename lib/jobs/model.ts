/**
 * The job model's vocabulary, declared once: the statuses a job moves
 * through and the speed modes it runs in. Zod enums, the Prisma enum check
 * (tests/unit/jobs/registry.test.ts), queue priorities and UI labels all
 * derive from these lists. Job *types* and engine *kinds* are declared by
 * the kind modules in ./kinds and collected in ./registry.ts.
 *
 * Browser-safe: no server imports.
 */

export const JOB_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type TJobStatus = (typeof JOB_STATUSES)[number];

/** Statuses of a job that is still in progress: it holds fast time and counts against the plan's cap. */
export const ACTIVE_JOB_STATUSES = ["queued", "running"] as const satisfies readonly TJobStatus[];
/** Statuses a job never leaves. */
export const FINAL_JOB_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly TJobStatus[];

export const JOB_STATUS_LABELS: Record<TJobStatus, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Speed modes (Midjourney's Turbo / Fast / Relax), fastest first. */
export const JOB_MODES = ["turbo", "fast", "relax"] as const;
export type TJobMode = (typeof JOB_MODES)[number];

export const JOB_MODE_LABELS: Record<TJobMode, string> = { turbo: "Turbo", fast: "Fast", relax: "Relax" };

/**
 * Where a job was asked for: the studio (its pages and its own REST API) or
 * one of the outside protocols (docs/protocols.md). Stored on the job so
 * Organize can say which tool made an image.
 */
export const JOB_SOURCES = ["web", "openai", "a1111", "mcp"] as const;
export type TJobSource = (typeof JOB_SOURCES)[number];

export const JOB_SOURCE_LABELS: Record<TJobSource, string> = {
  web: "Mirage",
  openai: "OpenAI Images API",
  a1111: "AUTOMATIC1111 API",
  mcp: "MCP",
};

export function isActiveStatus(status: TJobStatus): boolean {
  return (ACTIVE_JOB_STATUSES as readonly TJobStatus[]).includes(status);
}
