import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { listOnlineWorkers } from "@/lib/server/workers";
import { testDb } from "../support/db";

const ROOT = path.resolve(import.meta.dirname, "../..");
const db = testDb();
afterAll(() => db.$disconnect());

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe("worker process", () => {
  it("registers a heartbeat with its provider and models, and stops cleanly on SIGTERM", async () => {
    const workerId = `it-worker-${Date.now()}`;
    const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: ROOT,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH,
        DATABASE_URL: inject("databaseUrl"),
        REDIS_URL: inject("redisUrl"),
        REDIS_PREFIX: inject("redisPrefix"),
        WORKER_ID: workerId,
        HEARTBEAT_INTERVAL_MS: "500",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

    const online = await waitFor(async () => (await listOnlineWorkers(db)).find((worker) => worker.id === workerId), 30_000);
    expect(online.provider).toBe("cpu");
    expect(Array.isArray(online.models)).toBe(true);

    const exitCode = await new Promise<number | null>((resolve) => {
      child.once("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
    expect(exitCode, output).toBe(0);
    expect((await listOnlineWorkers(db)).some((worker) => worker.id === workerId)).toBe(false);
  });

  it("refuses a bad configuration with a message naming the variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: ROOT,
      env: { NODE_ENV: "test", PATH: process.env.PATH, DATABASE_URL: "mysql://nope", REDIS_URL: inject("redisUrl") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(78);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });
});
