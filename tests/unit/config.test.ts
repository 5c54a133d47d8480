import { describe, expect, it } from "vitest";
import { loadLauncherConfig } from "@/lib/config/launcher";
import { ConfigError } from "@/lib/config/parse-env";
import { loadWorkerConfig } from "@/lib/config/worker";

describe("configuration", () => {
  it("fills launcher defaults from an empty environment", () => {
    const config = loadLauncherConfig({});
    expect(config).toMatchObject({ PORT: 3000, MIRAGE_HOME: ".data", WORKERS: 1, EXECUTION_PROVIDER: "cpu", TRUST_PROXY: false });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(loadLauncherConfig({ PORT: "", DATABASE_URL: "" }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: "70000" }, /PORT: must be between 1 and 65535/],
    [{ REDIS_URL: "http://localhost" }, /REDIS_URL: must be a redis/],
    [{ ADMIN_PASSWORD: "short" }, /ADMIN_PASSWORD: must be at least 8/],
    [{ EXECUTION_PROVIDER: "tpu" }, /EXECUTION_PROVIDER: must be cpu or cuda/],
    [{ TRUST_PROXY: "maybe" }, /TRUST_PROXY: must be 1\/0/],
  ])("rejects %o naming the variable", (env, message) => {
    expect(() => loadLauncherConfig(env)).toThrow(ConfigError);
    expect(() => loadLauncherConfig(env)).toThrow(message);
  });

  it("requires the worker's database and Redis, and derives a worker id", () => {
    expect(() => loadWorkerConfig({})).toThrow(/DATABASE_URL.*REDIS_URL|REDIS_URL.*DATABASE_URL/);
    const config = loadWorkerConfig({ DATABASE_URL: "postgresql://localhost/db", REDIS_URL: "redis://localhost:6379", EXECUTION_PROVIDER: "cuda", DEVICE: "1" });
    expect(config.workerId).toMatch(/-gpu1$/);
    expect(config.SHUTDOWN_DEADLINE_MS).toBe(60_000);
  });
});
