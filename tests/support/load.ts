/**
 * Load helpers shared by the chaos SSE test and `bench/load`: closed-loop
 * request drivers with latency percentiles, and Server-Sent Events clients
 * that hold a job's progress stream open.
 */

export interface LoopResult {
  name: string;
  requests: number;
  elapsedMs: number;
  /** Responses by HTTP status (0: network error). */
  statuses: Record<number, number>;
  latenciesMs: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `concurrency` clients each sending `request(n)` back to back until `durationMs` has passed. */
export async function closedLoop(name: string, options: { concurrency: number; durationMs: number; request: (n: number) => Promise<number> }): Promise<LoopResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const end = started + options.durationMs;
  let n = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await options.request(n++).catch(() => 0);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { name, requests: latencies.length, elapsedMs: performance.now() - started, statuses, latenciesMs: latencies.sort((a, b) => a - b) };
}

export function formatLoop(result: LoopResult): string {
  const rps = (result.requests / result.elapsedMs) * 1000;
  const statuses = Object.entries(result.statuses).map(([status, count]) => `${status}×${count}`).join(" ");
  const p = (q: number) => percentile(result.latenciesMs, q).toFixed(1);
  return `${result.name.padEnd(12)} ${String(result.requests).padStart(6)} req  ${rps.toFixed(1).padStart(7)} req/s  p50 ${p(50).padStart(7)} ms  p99 ${p(99).padStart(7)} ms  [${statuses}]`;
}

export interface SseStream {
  jobId: string;
  /** Status of the HTTP response (0 before it arrived or on a network error). */
  status: number;
  events: Record<string, number>;
  /** Last `job` snapshot's status. */
  lastStatus: string | null;
  /** The server ended the stream (after a terminal snapshot, if it behaved). */
  endedByServer: boolean;
  /** Milliseconds from opening to the first event. */
  firstEventMs: number | null;
  error: string | null;
  done: Promise<void>;
}

/** Opens one SSE progress stream of a job and records what arrives until `signal` aborts it. */
export function openSseStream(baseUrl: string, token: string, jobId: string, signal: AbortSignal): SseStream {
  const stream: SseStream = { jobId, status: 0, events: {}, lastStatus: null, endedByServer: false, firstEventMs: null, error: null, done: Promise.resolve() };
  const opened = performance.now();
  stream.done = (async () => {
    try {
      const response = await fetch(`${baseUrl}/api/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, signal });
      stream.status = response.status;
      if (!response.ok || !response.body) {
        stream.error = `HTTP ${response.status}: ${await response.text()}`;
        return;
      }
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf("\n\n");
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf("\n\n");
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (!event) continue;
          stream.firstEventMs ??= performance.now() - opened;
          stream.events[event] = (stream.events[event] ?? 0) + 1;
          if (event === "job") stream.lastStatus = (JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "{}") as { status?: string }).status ?? null;
        }
      }
      stream.endedByServer = true;
    } catch (error) {
      if (!signal.aborted) stream.error = String(error);
    }
  })();
  return stream;
}

export const TERMINAL_STATUSES = new Set(["completed", "failed", "cancelled"]);

/** Streams that broke the contract: refused, errored, or ended by the server without a final snapshot. */
export function badStreams(streams: SseStream[]): SseStream[] {
  return streams.filter((stream) => stream.status !== 200 || stream.error !== null || !stream.events.job || (stream.endedByServer && !TERMINAL_STATUSES.has(stream.lastStatus ?? "")));
}
