/**
 * The studio's own overhead: the same jobs through the studio (HTTP API, a
 * real worker process, SSE) and through the in-process pipeline, in one run.
 *
 *   node --conditions react-server --experimental-wasm-modules --import tsx bench/e2e/main.ts [--jobs 8] [--kinds full,draft,vary,upscale] [--model mirage-tiny]
 *
 * `--conditions react-server` resolves `server-only` (imported by the web
 * modules) to its empty module, as Next's server build does.
 *
 * Self-contained, like bench/load: a throwaway Postgres (TEST_DATABASE_URL's
 * server, else an embedded one) and Redis, the real /api/v1 route handlers
 * behind a Node HTTP server (tests/support/route-server.ts, in this process),
 * and one worker process (workers/main.ts) serving models/<model>. Each round
 * submits one job per kind with an API token, one at a time (the worker is
 * idle when each arrives), follows it on its SSE stream until the final
 * `job` event, then renders the very same engine request (the worker's own
 * `engineRequest`, so the same prompt, seed, size and source image) with
 * lib/diffusion's `generate` in this process: pairs, so a change in machine
 * load hits both sides of each ratio.
 *
 * Printed per kind (p50 over the rounds): submit → final event, submit →
 * first progress, the job's charged GPU ms (`job.gpuMs`), the pipeline's wall
 * time, their ratios, and the split of submit → final event into stages:
 *   accept    POST → enqueue (BullMQ job timestamp): auth, validation, estimate, hold, insert
 *   enqueue   enqueue → 202 received
 *   pick-up   enqueue → the worker's handler starts (the 202 overlaps it)
 *   database  the worker's start statement (it also reads the row)
 *   prepare   the engine request (reading the source image of Vary/Upscale)
 *   inference time inside onnxruntime (what the user is charged)
 *   pipeline  the rest of the engine's own wall time (scheduler, tensors → RGB)
 *   ipc       runner round trip minus the engine's wall (process hop, copies)
 *   finish    the completion transaction (settle, image rows, usage row), which
 *             commits once the files are written; (files), encoding the PNG and
 *             the WebP thumbnail and storing them, runs inside it, not after it
 *   notify    handler done → final `job` event at the client (the job channel's
 *             finish signal, snapshot read, SSE)
 * The worker reports its figures on its "job completed" log line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generate, loadModel, disposeModels } from "@/lib/diffusion";
import { createDb } from "@/lib/db/client";
import { ZJobParams } from "@/lib/jobs/registry";
import { seedPlans } from "@/lib/server/plans";
import { createApiToken } from "@/lib/server/tokens";
import { createUserWithPassword } from "@/lib/server/users";
import { engineRequest } from "@/workers/handlers/generate";
import { startChaosWorker, stopChaosWorker } from "../../tests/support/chaos-worker";
import { percentile } from "../../tests/support/load";
import { startRouteServer } from "../../tests/support/route-server";
import { startTestServices } from "../../tests/support/test-services";
import { followJob, type JobTrace } from "./sse";

const KINDS = ["full", "draft", "vary", "upscale"] as const;
type Kind = (typeof KINDS)[number];

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "8" },
    kinds: { type: "string", default: KINDS.join(",") },
    model: { type: "string", default: "mirage-tiny" },
  },
});
const rounds = Number(values.jobs);
const kinds = values.kinds.split(",").map((kind) => {
  if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--kinds: ${kind} is not one of ${KINDS.join(", ")}`);
  return kind as Kind;
});
const command = `node --conditions react-server --experimental-wasm-modules --import tsx bench/e2e/main.ts --jobs ${rounds} --kinds ${kinds.join(",")} --model ${values.model}`;
const modelsDir = path.resolve("models");
const modelDir = path.join(modelsDir, values.model);

/** The worker's "job completed" log line (workers/handlers/generate.ts). */
interface WorkerLine {
  jobId: string;
  gpuMs: number;
  wallMs: number;
  queuedAt: number;
  pickedAt: number;
  doneAt: number;
  databaseMs: number;
  prepareMs: number;
  runnerMs: number;
  finishMs: number;
  filesMs: number;
}

interface Sample {
  kind: Kind;
  trace: JobTrace;
  worker: WorkerLine;
  chargedGpuMs: number;
  pipelineWallMs: number;
  /** Time inside onnxruntime for the in-process run: with the worker's, it tells contention from overhead. */
  pipelineInferenceMs: number;
}

const services = await startTestServices();
const storageDir = await mkdtemp(path.join(tmpdir(), "mirage-e2e-"));
const db = createDb(services.databaseUrl, { max: 2 });
const prefix = services.redisPrefix;
const server = await startRouteServer({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, prefix, storageDir });
// The route server defaults to the test fixture model; the web context reads these on its first request.
Object.assign(process.env, { MODELS_DIR: modelsDir, DEFAULT_MODEL: values.model });
const worker = startChaosWorker({
  databaseUrl: services.databaseUrl,
  redisUrl: services.redisUrl,
  prefix,
  storageDir,
  workerId: "e2e-worker",
  env: { MODELS_DIR: modelsDir, WORKER_MODELS: values.model, LOG_LEVEL: "info" },
});

function workerLine(jobId: string): WorkerLine | undefined {
  for (const line of worker.output().split("\n")) {
    if (!line.includes('"job completed"') || !line.includes(jobId)) continue;
    return JSON.parse(line) as WorkerLine;
  }
  return undefined;
}

async function waitForWorkerLine(jobId: string): Promise<WorkerLine> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = workerLine(jobId);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no "job completed" line for ${jobId}:\n${worker.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

try {
  await seedPlans(db);
  const user = await createUserWithPassword(db, { email: "e2e@example.test", password: "e2e-bench-password", plan: "Pro" });
  const { token } = await createApiToken(db, user.id, "e2e");
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const model = await loadModel(modelDir);
  await worker.ready(180_000);

  const post = async (route: string, body: unknown): Promise<string> => {
    const response = await fetch(`${server.url}${route}`, { method: "POST", headers, body: JSON.stringify(body) });
    const json = (await response.json()) as { id?: string; jobIds?: string[] };
    if (response.status !== 202) throw new Error(`POST ${route}: HTTP ${response.status} ${JSON.stringify(json)}`);
    return json.jobIds?.[0] ?? json.id!;
  };
  /** The image Vary and Upscale start from (made by the warm-up). */
  const source: { imageId?: string } = {};
  const submitFor = (kind: Kind, round: number) => {
    const prompt = `a large red circle on the left, sunset background --seed ${1000 + round}`;
    switch (kind) {
      case "full":
        return post("/api/v1/jobs", { prompt });
      case "draft":
        return post("/api/v1/jobs", { prompt: `${prompt} --draft` });
      case "vary":
        return post(`/api/v1/images/${source.imageId}/vary`, { strength: "subtle" });
      case "upscale":
        return post(`/api/v1/images/${source.imageId}/upscale`, { kind: "subtle" });
    }
  };

  /** One job through the studio, then the same request in process. */
  const measure = async (kind: Kind, round: number): Promise<Sample> => {
    const trace = await followJob(server.url, token, () => submitFor(kind, round));
    if (trace.final.status !== "completed") throw new Error(`${kind} job ${trace.jobId} ended ${trace.final.status}: ${trace.final.error}`);
    const line = await waitForWorkerLine(trace.jobId);
    const { params } = await db.job.findUniqueOrThrow({ where: { id: trace.jobId }, select: { params: true } });
    const request = await engineRequest(ZJobParams.parse(params), storageDir);
    const started = performance.now();
    const { timings } = await generate(model, request);
    const pipelineWallMs = performance.now() - started;
    return { kind, trace, worker: line, chargedGpuMs: trace.final.gpuMs ?? Number.NaN, pipelineWallMs, pipelineInferenceMs: timings.inferenceMs };
  };

  // Warm-up (untimed): the source image for Vary/Upscale, and one job of each kind on both sides.
  source.imageId = (await measure("full", -1)).trace.final.images?.[0]?.id;
  if (!source.imageId) throw new Error("the warm-up job returned no image");
  for (const kind of kinds) await measure(kind, -1);

  const load = [loadavg()[0]!];
  const samples: Sample[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of kinds) samples.push(await measure(kind, round));
    load.push(loadavg()[0]!);
  }

  const p50 = (numbers: number[]) => percentile([...numbers].sort((a, b) => a - b), 50);
  const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
  console.log(`\n# ${command}`);
  console.log(
    `# ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average (1 min) ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} during the run; ${new Date().toISOString()}`,
  );
  console.log(`# model ${values.model}, ${rounds} jobs per kind after one warm-up each; p50 over the jobs; ratios are per job (same request, same round)\n`);
  const summary = kinds.map((kind) => {
    const rows = samples.filter((sample) => sample.kind === kind);
    const e2e = rows.map((s) => s.trace.finalAt - s.trace.submittedAt);
    return {
      kind,
      "submit→final ms": fixed(p50(e2e)),
      "pipeline wall ms": fixed(p50(rows.map((s) => s.pipelineWallMs))),
      "final ÷ pipeline": fixed(p50(rows.map((s, i) => e2e[i]! / s.pipelineWallMs)), 3),
      "GPU ms (charged)": fixed(p50(rows.map((s) => s.chargedGpuMs))),
      "GPU ÷ pipeline": fixed(p50(rows.map((s) => s.chargedGpuMs / s.pipelineWallMs)), 3),
      // > 1: the same onnxruntime work ran slower inside the studio (threads contending with the web and worker processes).
      "worker ÷ in-process onnx": fixed(p50(rows.map((s) => s.worker.gpuMs / s.pipelineInferenceMs)), 3),
      // What a GPU is held per job (pick-up to done): bench/capacity's --cost.
      "worker busy ms": fixed(p50(rows.map((s) => s.worker.doneAt - s.worker.pickedAt))),
      "submit→1st progress ms": fixed(p50(rows.map((s) => (s.trace.firstProgressAt ?? Number.NaN) - s.trace.submittedAt))),
    };
  });
  console.table(summary);

  const stages = kinds.map((kind) => {
    const rows = samples.filter((sample) => sample.kind === kind);
    const stage = (pick: (s: Sample) => number) => fixed(p50(rows.map(pick)), 1);
    return {
      kind,
      accept: stage((s) => s.worker.queuedAt - s.trace.submittedAt),
      enqueue: stage((s) => s.trace.acceptedAt - s.worker.queuedAt),
      "pick-up": stage((s) => s.worker.pickedAt - s.worker.queuedAt),
      database: stage((s) => s.worker.databaseMs),
      prepare: stage((s) => s.worker.prepareMs),
      inference: stage((s) => s.worker.gpuMs),
      pipeline: stage((s) => s.worker.wallMs - s.worker.gpuMs),
      ipc: stage((s) => s.worker.runnerMs - s.worker.wallMs),
      finish: stage((s) => s.worker.finishMs),
      "(files)": stage((s) => s.worker.filesMs),
      notify: stage((s) => s.trace.finalAt - s.worker.doneAt),
      "(rest of handler)": stage((s) => s.worker.doneAt - s.worker.pickedAt - (s.worker.databaseMs + s.worker.prepareMs + s.worker.runnerMs + s.worker.finishMs)),
    };
  });
  console.log("stage split, ms (p50 of each stage; they need not add up to the p50 total):");
  console.table(stages);
  const ratio = (kind: Kind) => summary.find((row) => row.kind === kind);
  console.log(
    `goals: full final÷pipeline ${ratio("full")?.["final ÷ pipeline"] ?? "—"} (≤ 1.10), draft ${ratio("draft")?.["final ÷ pipeline"] ?? "—"} (≤ 1.30), ` +
      `GPU÷pipeline full ${ratio("full")?.["GPU ÷ pipeline"] ?? "—"} (≤ 1.05), first progress p50 over every job ${fixed(p50(samples.map((s) => (s.trace.firstProgressAt ?? Number.NaN) - s.trace.submittedAt)))} ms (≤ 50)`,
  );
  console.log(`command: ${command}`);
} finally {
  await stopChaosWorker(worker, "SIGTERM");
  await server.close();
  await db.$disconnect();
  await disposeModels();
  await services.stop();
  await rm(storageDir, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
