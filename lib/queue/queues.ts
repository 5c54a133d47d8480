/**
 * Queue names, one per resource class. The `gpu` queue carries inference
 * work; each worker process consumes it with concurrency 1 (one per GPU).
 */
export const QUEUES = { gpu: "gpu" } as const;
export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES];
