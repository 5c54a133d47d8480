/**
 * Queue benchmark against a running studio, through its HTTP API.
 *
 *   npm start                                   # in one terminal
 *   T=$(npm run -s mirage -- token:create --email admin@mirage.local)
 *   node --import tsx bench/queue/main.ts --url http://localhost:3000 --token $T
 *
 * 1. Submit-to-first-progress latency with an idle worker: one job at a time,
 *    time from POST /api/v1/jobs to the first `progress` event on its SSE stream.
 * 2. Submit throughput with a busy queue: concurrent POSTs for a fixed time
 *    (requests/s and latency percentiles); the jobs it queued are cancelled after.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    token: { type: "string" },
    samples: { type: "string", default: "20" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    prompt: { type: "string", default: "a small blue circle in the centre --draft" },
  },
});
if (!values.token) {
  console.error("Pass --token (npm run -s mirage -- token:create --email <you>).");
  process.exit(64);
}
const base = values.url;
const headers = { Authorization: `Bearer ${values.token}`, "Content-Type": "application/json" };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function submit(prompt: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/jobs`, { method: "POST", headers, body: JSON.stringify({ prompt }) });
  if (response.status !== 202) throw new Error(`submit: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Resolves when the job's SSE stream delivers its first progress event (or the job ends). */
async function firstProgress(jobId: string): Promise<void> {
  const response = await fetch(`${base}/api/v1/jobs/${jobId}/events`, { headers });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes("event: progress") || /"status":"(completed|failed|cancelled)"/.test(buffer)) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function waitDone(jobId: string): Promise<void> {
  for (;;) {
    const job = (await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers })).json()) as { status: string };
    if (!["queued", "running"].includes(job.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function idleLatency(samples: number) {
  const latencies: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    const started = performance.now();
    const id = await submit(`${values.prompt} --seed ${index}`);
    await firstProgress(id);
    latencies.push(performance.now() - started);
    await waitDone(id);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function busyThroughput(seconds: number, concurrency: number) {
  const latencies: number[] = [];
  const ids: string[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          ids.push(await submit(values.prompt));
          latencies.push(performance.now() - started);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  // Leave the studio as we found it: cancel what is still waiting.
  for (const id of ids) await fetch(`${base}/api/v1/jobs/${id}/cancel`, { method: "POST", headers }).catch(() => undefined);
  return { requests: latencies.length, errors, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const idle = await idleLatency(Number(values.samples));
console.log(`submit → first progress (idle worker, ${values.samples} jobs): p50 ${idle.p50.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms`);
const busy = await busyThroughput(Number(values.seconds), Number(values.concurrency));
console.log(
  `submit throughput (busy queue, ${values.concurrency} concurrent, ${values.seconds} s): ${busy.perSecond.toFixed(1)} req/s, ` +
    `p50 ${busy.p50.toFixed(1)} ms, p99 ${busy.p99.toFixed(1)} ms, ${busy.errors} errors`,
);
console.log(`command: node --import tsx bench/queue/main.ts --url ${base} --token <token> --samples ${values.samples} --seconds ${values.seconds} --concurrency ${values.concurrency}`);
