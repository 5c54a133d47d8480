import { Queue } from "bullmq";
import { afterAll, describe, expect, inject, it } from "vitest";
import { JOB_FINISHED_MESSAGE, jobChannel } from "@/lib/jobs/job-channel";
import { gpuQueueName } from "@/lib/jobs/queue";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { createJobEvents, type JobEvent } from "@/lib/server/jobs/job-events";

/**
 * The SSE fan-out over real Redis and BullMQ: a stream that subscribes after
 * the worker's first progress event still gets the job's progress at once
 * (bench/e2e: browsers subscribe only after the submit answered).
 */
const prefix = `${inject("redisPrefix")}-job-events`;
const connection = createRedis(inject("redisUrl"), "worker");
const events = createJobEvents(connection, prefix, createLogger("test", "silent"));
const queue = new Queue(gpuQueueName("m"), { connection: connection.duplicate(), prefix });

afterAll(async () => {
  await events.close();
  await queue.close();
  connection.disconnect();
});

function collect(jobId: string) {
  const received: JobEvent[] = [];
  const unsubscribe = events.subscribe(jobId, "m", (event) => received.push(event));
  return { received, unsubscribe };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("job events", () => {
  it("replays the stored progress to a stream that subscribes after it was sent", async () => {
    const job = await queue.add("generate", { jobId: "late" }, { jobId: "late" });
    await job.updateProgress({ fraction: 0.25, stage: "denoise" });
    const stream = collect("late");
    await until(() => stream.received.length > 0, "the replayed progress");
    expect(stream.received).toEqual([{ type: "progress", fraction: 0.25, stage: "denoise" }]);
    stream.unsubscribe();
  });

  it("sends nothing for a job without progress, then the live events", async () => {
    const job = await queue.add("generate", { jobId: "fresh" }, { jobId: "fresh" });
    const stream = collect("fresh");
    // Let the replay read and the event reader settle before the live event.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.received).toEqual([]);
    await job.updateProgress({ fraction: 0.5, stage: "denoise" });
    await until(() => stream.received.length > 0, "the live progress");
    expect(stream.received).toEqual([{ type: "progress", fraction: 0.5, stage: "denoise" }]);
    stream.unsubscribe();
  });

  it("says finished as soon as the worker announces it on the job's channel, before BullMQ knows", async () => {
    // The BullMQ job is never completed here: only the job channel can end this stream.
    await queue.add("generate", { jobId: "announced" }, { jobId: "announced" });
    const stream = collect("announced");
    const other = collect("someone-else");
    const publisher = connection.duplicate();
    // The subscription is asynchronous; announce until it is heard (a real job runs for ≥ 100 ms first).
    await until(() => {
      void publisher.publish(jobChannel(prefix, "announced"), JOB_FINISHED_MESSAGE);
      return stream.received.some((event) => event.type === "finished");
    }, "the announced finish");
    expect(stream.received.filter((event) => event.type !== "finished")).toEqual([]);
    expect(other.received).toEqual([]);
    stream.unsubscribe();
    other.unsubscribe();
    publisher.disconnect();
  });
});
