import type { DiffusionRunner } from "@/lib/diffusion";
import type { Db } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import type { ObjectStore } from "@/lib/storage";
import type { PublishPreview } from "./job-previews";

/** What GPU job handlers share within one worker process. */
export interface GpuContext {
  db: Db;
  runner: DiffusionRunner;
  modelsDir: string;
  /** Where image files go (local folder or S3 bucket, per STORAGE_DRIVER). */
  storage: ObjectStore;
  workerId: string;
  log: Logger;
  /** Sends a running job's live previews; absent when LIVE_PREVIEWS=0. */
  publishPreview?: PublishPreview;
  /** Tells the streams following a job that its row is final (lib/jobs/job-channel.ts); never throws. */
  announceFinished: (jobId: string) => void;
}
