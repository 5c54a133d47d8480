/**
 * Entry point of the inference process, forked by the diffusion runner.
 * Jobs run one at a time in arrival order (one model instance, one
 * accelerator); progress and results
 * go back as messages, and a `cancel` message aborts the job's signal, which
 * the pipelines check between denoising steps and upscale tiles.
 */
import { disposeModels, loadModel } from "../model-cache";
import { generate } from "../pipelines/generate";
import { projectLatent } from "../preview/latent-preview";
import { isPreviewStep, previewDecoderFor } from "../preview/preview-schedule";
import type { RunHooks } from "../pipelines/types";
import { serializeError, type FromWorker, type ToWorker, type WorkerLoadOptions } from "./protocol";

if (!process.send) throw new Error("inference-worker must be forked with an IPC channel (see diffusion-runner.ts)");
const reply = process.send.bind(process);

const { previews: fitPreviewsOnLoad = false, ...loadOptions } = JSON.parse(process.env.MIRAGE_INFERENCE_OPTIONS ?? "{}") as WorkerLoadOptions;
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

const send = (message: FromWorker) => {
  if (process.connected) reply(message);
};
const load = async (modelDir: string) => {
  const model = await loadModel(modelDir, { ...loadOptions, onWarning: (message) => send({ type: "warning", message }) });
  if (fitPreviewsOnLoad) await previewDecoderFor(model);
  return model;
};

// The caller is gone (killed, crashed): an orphaned inference process would hold memory and cores.
process.on("disconnect", () => process.exit(0));
// The caller owns this process's lifetime. A Ctrl-C reaches the whole process
// group; the caller's graceful shutdown still needs this process to finish its job.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => undefined);

process.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "generate": {
      const controller = new AbortController();
      controllers.set(message.id, controller);
      enqueue(message.id, async () => {
        controller.signal.throwIfAborted();
        const model = await load(message.modelDir);
        const decoder = message.previews ? await previewDecoderFor(model) : undefined;
        // Projection is synchronous and tiny (docs/live-previews.md §2): it runs between steps.
        const onDenoised: RunHooks["onDenoised"] = decoder
          ? (denoised, { completed, total }) => {
              if (isPreviewStep(completed, total)) {
                send({ type: "preview", id: message.id, preview: { completed, total, images: denoised.map((latent) => projectLatent(decoder, latent)) } });
              }
            }
          : undefined;
        const result = await generate(model, message.request, {
          signal: controller.signal,
          onProgress: (progress) => send({ type: "progress", id: message.id, progress }),
          ...(onDenoised && { onDenoised }),
        });
        send({ type: "result", id: message.id, result });
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
        process.disconnect();
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
