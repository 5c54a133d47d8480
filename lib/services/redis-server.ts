import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "@/lib/log";
import { isPortInUse, waitForPort } from "./port";

export interface RedisServerHandle {
  url: string;
  stop(): Promise<void>;
}

/** Finds `redis-server`: the configured path, else PATH or Debian's location. */
function findRedisBinary(configured: string | undefined): string | null {
  const candidates = configured ? [configured] : ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["--version"], { stdio: "ignore" });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/**
 * A local redis-server for BullMQ: AOF on (queued jobs survive a restart),
 * `noeviction` (BullMQ loses jobs under any eviction policy), loopback only,
 * data under `<home>/redis`.
 */
export async function startRedisServer(options: { home: string; port: number; binary?: string; log: Logger }): Promise<RedisServerHandle> {
  const { home, port, log } = options;
  const binary = findRedisBinary(options.binary);
  if (!binary) {
    throw new Error(
      "redis-server was not found. Install it (Debian: `apt-get install -y redis-server`) or set REDIS_URL to an existing Redis.",
    );
  }
  if (await isPortInUse(port)) {
    throw new Error(
      `Port ${port} for the local Redis is already in use — is another Mirage running from this folder? Stop it, or set EMBEDDED_REDIS_PORT (or REDIS_URL).`,
    );
  }
  const dir = path.resolve(home, "redis");
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      "--bind", "127.0.0.1",
      "--port", String(port),
      "--dir", dir,
      "--appendonly", "yes",
      "--appendfsync", "everysec",
      "--save", "",
      "--maxmemory-policy", "noeviction",
      "--daemonize", "no",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => log.debug({ redis: chunk.toString().trim() }));
  child.stderr?.on("data", (chunk: Buffer) => log.warn({ redis: chunk.toString().trim() }));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (!(await waitForPort(port, 15_000))) {
    child.kill("SIGKILL");
    throw new Error(`redis-server did not start listening on port ${port} within 15 s; see the log above.`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
