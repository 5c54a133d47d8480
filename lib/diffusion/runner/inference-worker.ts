/**
 * Entry point of the inference worker thread. Jobs run one at a time in
 * arrival order (one model instance, one accelerator); progress and results
 * go back as messages, and a `cancel` message aborts the job's signal, which
 * the pipelines check between denoising steps and upscale tiles.
 */
import { parentPort, workerData } from "node:worker_threads";

import { disposeModels, loadModel } from "../model-cache";
import { generate, type GenerationResult } from "../pipelines/generate";
import { serializeError, type FromWorker, type ToWorker, type WorkerLoadOptions } from "./protocol";

const port = parentPort;
if (!port) throw new Error("inference-worker must run in a worker thread");

const loadOptions: WorkerLoadOptions = (workerData as { loadOptions?: WorkerLoadOptions } | undefined)?.loadOptions ?? {};
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const load = (modelDir: string) =>
  loadModel(modelDir, { ...loadOptions, onWarning: (message) => send({ type: "warning", message }) });

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "generate": {
      const controller = new AbortController();
      controllers.set(message.id, controller);
      enqueue(message.id, async () => {
        controller.signal.throwIfAborted();
        const model = await load(message.modelDir);
        const result = await generate(model, message.request, {
          signal: controller.signal,
          onProgress: (progress) => send({ type: "progress", id: message.id, progress }),
        });
        const transfer = ownBuffers(result);
        send({ type: "result", id: message.id, result }, transfer);
      });
      return;
    }
    case "preload":
      enqueue(message.id, async () => {
        const model = await load(message.modelDir);
        send({
          type: "loaded",
          id: message.id,
          info: { name: model.diffusion.name, provider: model.diffusion.provider, hasUpscaler: model.upscaler !== undefined },
        });
      });
      return;
    case "cancel":
      controllers.get(message.id)?.abort(Object.assign(new Error(message.reason), { name: "AbortError" }));
      return;
    case "shutdown":
      queue = queue.then(async () => {
        await disposeModels();
        send({ type: "closed" });
        port.close();
      });
      return;
    default:
      message satisfies never;
  }
});

function enqueue(id: number, task: () => Promise<void>): void {
  queue = queue
    .then(task)
    .catch((error: unknown) => send({ type: "error", id, error: serializeError(error) }))
    .finally(() => controllers.delete(id));
}

/**
 * Image buffers to transfer instead of copy. Each image gets a buffer of its
 * own first, so a transfer never detaches memory something else still uses.
 */
function ownBuffers(result: GenerationResult): ArrayBuffer[] {
  return result.images.map(({ image }) => {
    if (image.data.byteOffset !== 0 || image.data.byteLength !== image.data.buffer.byteLength) image.data = image.data.slice();
    return image.data.buffer as ArrayBuffer;
  });
}
