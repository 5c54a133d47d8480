/**
 * Queue names, one per resource class. GPU work goes to one queue per model,
 * `gpu.<modelId>` (lib/jobs/queue.ts `gpuQueueName`); each worker process
 * consumes the queues of its models, one job at a time (one process per GPU).
 */
export const QUEUES = { gpu: "gpu" } as const;
export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES];
