/**
 * One onnxruntime session per model component, with the execution-provider
 * policy (CUDA when asked, CPU otherwise, CPU again if CUDA cannot load) and
 * the bookkeeping the pipelines and the benchmark need: declared inputs and
 * time spent inside `run`.
 */
import { performance } from "node:perf_hooks";

import { InferenceSession, type Tensor } from "onnxruntime-node";

import { outputAsFloat32, type InputSpec } from "./feeds";

export type ExecutionProviderName = "cpu" | "cuda";

export interface SessionOptions {
  /** @defaultValue "cpu" */
  provider?: ExecutionProviderName;
  /** CUDA device ordinal. @defaultValue 0 */
  deviceId?: number;
  /** Threads per operator; unset lets onnxruntime use every core. */
  intraOpNumThreads?: number;
  /** Told when CUDA was requested but the session fell back to CPU. */
  onWarning?: (message: string) => void;
}

/** Called after every `run` with the component name and the milliseconds spent in onnxruntime. */
export type RunListener = (component: string, milliseconds: number) => void;

export class ComponentSession {
  readonly inputs: ReadonlyMap<string, InputSpec>;
  readonly outputNames: readonly string[];
  private listener: RunListener | undefined;

  constructor(
    readonly component: string,
    private readonly session: InferenceSession,
    /** The provider actually in use after any fallback. */
    readonly provider: ExecutionProviderName,
  ) {
    const inputs = new Map<string, InputSpec>();
    for (const meta of session.inputMetadata) {
      if (!meta.isTensor) throw new TypeError(`${component} input ${meta.name} is not a tensor`);
      inputs.set(meta.name, { name: meta.name, type: meta.type, shape: meta.shape });
    }
    this.inputs = inputs;
    this.outputNames = session.outputNames;
  }

  input(name: string): InputSpec {
    const spec = this.inputs.get(name);
    if (!spec) throw new Error(`${this.component} has no input "${name}" (has ${[...this.inputs.keys()].join(", ")})`);
    return spec;
  }

  hasInput(name: string): boolean {
    return this.inputs.has(name);
  }

  /** Routes timing of every run to `listener` (one listener: the job being served). */
  setRunListener(listener: RunListener | undefined): void {
    this.listener = listener;
  }

  /** Runs the graph; float outputs come back as float32 whatever the graph's precision. */
  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const started = performance.now();
    const raw = await this.session.run(feeds);
    this.listener?.(this.component, performance.now() - started);
    const out: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(raw)) {
      out[name] = tensor.type === "float16" ? outputAsFloat32(tensor) : tensor;
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Components that run many times back to back keep onnxruntime's default of
 * spinning its intra-op threads between runs. The others (text encoders, VAE,
 * the evaluation judge) run once or a few times per job: spinning gains them
 * nothing, and a pool still spinning after its run takes cores from the next
 * component's. On the 2-core CPU, turning it off for them took the VAE decode
 * of a grid from ≈ 43 to ≈ 30 ms with the UNet unchanged (bench/draft).
 */
const SPINNING_COMPONENTS = new Set(["unet", "upscaler"]);

/**
 * Opens `path` (a file path, so external weights such as `weights.pb` or
 * `model.onnx_data` beside it are found). CUDA failures at session creation
 * (missing libraries, no device) fall back to CPU with a warning.
 */
export async function openComponentSession(component: string, path: string, options: SessionOptions = {}): Promise<ComponentSession> {
  const base: InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(options.intraOpNumThreads !== undefined && { intraOpNumThreads: options.intraOpNumThreads }),
    ...(!SPINNING_COMPONENTS.has(component) && { extra: { session: { intra_op: { allow_spinning: "0" } } } }),
  };
  if (options.provider === "cuda") {
    try {
      const session = await InferenceSession.create(path, {
        ...base,
        // A missing CUDA library is reported through onWarning; keep onnxruntime's own log quiet about it.
        logSeverityLevel: 4,
        executionProviders: [{ name: "cuda", deviceId: options.deviceId ?? 0 }, "cpu"],
      });
      return new ComponentSession(component, session, "cuda");
    } catch (error) {
      options.onWarning?.(
        `CUDA execution provider unavailable for ${component} (${(error as Error).message.split("\n")[0]}); running on CPU`,
      );
    }
  }
  const session = await InferenceSession.create(path, { ...base, executionProviders: ["cpu"] });
  return new ComponentSession(component, session, "cpu");
}
