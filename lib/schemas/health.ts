import { z } from "zod";

export const ZWorkerStatus = z
  .object({
    id: z.string(),
    host: z.string(),
    provider: z.string(),
    device: z.number().int().nullable().meta({ description: "GPU index of a CUDA worker (--device N); null on the CPU" }),
    models: z.array(z.string()),
    startedAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
  })
  .meta({ id: "WorkerStatus" });

export const ZHealth = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    postgres: z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() }),
    redis: z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() }),
    workers: z.object({ online: z.number().int(), list: z.array(ZWorkerStatus) }),
  })
  .meta({ id: "Health" });
export type THealth = z.infer<typeof ZHealth>;
