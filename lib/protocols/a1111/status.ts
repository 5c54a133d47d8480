import "server-only";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/model";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import type { Principal } from "@/lib/server/principal";
import type { ProtocolContext } from "../context";

/**
 * GET /sdapi/v1/progress, over the caller's own jobs (A1111 has one queue;
 * a Mirage user sees only theirs): progress of the running ones, and how
 * many are in progress. Clients poll it to show a bar and to wait for an
 * idle server (SillyTavern waits for progress 0 and job_count 0).
 */
export async function progressOf(web: ProtocolContext, principal: Principal) {
  const active = await web.db.job.findMany({
    where: { userId: principal.userId, status: { in: [...ACTIVE_JOB_STATUSES] } },
    select: { id: true, status: true, progress: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  const running = active.filter((job) => job.status === "running");
  const progress = running.length > 0 ? running.reduce((sum, job) => sum + job.progress, 0) / running.length : 0;
  return {
    progress,
    eta_relative: 0,
    state: {
      skipped: false,
      interrupted: false,
      job: running[0]?.id ?? "",
      job_count: active.length,
      job_timestamp: active[0] ? active[0].createdAt.toISOString().replace(/\D/g, "").slice(0, 14) : "0",
      job_no: 0,
      sampling_step: 0,
      sampling_steps: 0,
    },
    current_image: null,
    textinfo: running.length > 0 ? `${running.length} running, ${active.length - running.length} waiting` : null,
  };
}

/**
 * POST /sdapi/v1/interrupt: cancels the caller's running jobs (A1111 stops
 * the image being made; waiting ones go on). Each is cancelled by the same
 * service as the Cancel button, so the GPU time already used is charged.
 */
export async function interruptRunning(web: ProtocolContext, principal: Principal): Promise<void> {
  const running = await web.db.job.findMany({ where: { userId: principal.userId, status: "running" }, select: { id: true } });
  await Promise.all(running.map((job) => cancelJob(web.jobs, principal.userId, job.id).catch(() => undefined)));
}
