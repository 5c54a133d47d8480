/**
 * Follows one job the way the Create page does: submit over HTTP, then read
 * its Server-Sent Events until the final `job` snapshot. Times are epoch
 * milliseconds (sub-millisecond), comparable with the worker's log marks on
 * the same machine.
 */
export interface FinalJob {
  status: string;
  error: string | null;
  gpuMs: number | null;
  images?: Array<{ id: string }>;
}

export interface JobTrace {
  jobId: string;
  submittedAt: number;
  /** The 202 arrived. */
  acceptedAt: number;
  /** The first `progress` event arrived (null: the job ended before one reached the stream). */
  firstProgressAt: number | null;
  /** The `job` event with a terminal status arrived. */
  finalAt: number;
  final: FinalJob;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const now = () => performance.timeOrigin + performance.now();

export async function followJob(baseUrl: string, token: string, submit: () => Promise<string>): Promise<JobTrace> {
  const submittedAt = now();
  const jobId = await submit();
  const acceptedAt = now();
  const response = await fetch(`${baseUrl}/api/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
  if (!response.ok || !response.body) throw new Error(`events of ${jobId}: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let firstProgressAt: number | null = null;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the event stream of ${jobId} ended before the job did`);
      const arrived = now();
      buffer += decoder.decode(value, { stream: true });
      for (let boundary = buffer.indexOf("\n\n"); boundary >= 0; boundary = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        if (event === "progress") firstProgressAt ??= arrived;
        if (event !== "job") continue;
        const job = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "{}") as FinalJob;
        if (TERMINAL.has(job.status)) return { jobId, submittedAt, acceptedAt, firstProgressAt, finalAt: arrived, final: job };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
