import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

/**
 * `npm start` must stop with one clear line for each environment problem an
 * operator can hit. These run the real launcher entry point.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const homes: string[] = [];
afterAll(async () => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))));

async function runLauncher(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const home = await mkdtemp(path.join(tmpdir(), "mirage-launch-"));
  homes.push(home);
  const child = spawn(process.execPath, ["--experimental-wasm-modules", "--disable-warning=ExperimentalWarning", "--import", "tsx", "lib/launcher/main.ts"], {
    cwd: ROOT,
    env: { NODE_ENV: "production", PATH: process.env.PATH, MIRAGE_HOME: home, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stderr };
}

describe("npm start refuses a broken environment with one clear line", () => {
  it("names a bad variable", async () => {
    const { code, stderr } = await runLauncher({ PORT: "three thousand" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT: must be a number/);
  });

  it("names a bad database URL", async () => {
    const { code, stderr } = await runLauncher({ DATABASE_URL: "mysql://localhost/x" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });

  it("says which port is taken and how to pick another", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await runLauncher({ PORT: String(port) });
      expect(code).toBe(78);
      expect(stderr).toContain(`Port ${port} is already taken`);
      expect(stderr).toMatch(/PORT=\d+ npm start/);
    } finally {
      server.close();
    }
  });

  it("names the fix when redis-server is missing", async () => {
    const { code, stderr } = await runLauncher({
      PORT: "39917",
      DATABASE_URL: inject("databaseUrl"),
      REDIS_SERVER_BIN: "/nonexistent/redis-server",
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/redis-server was not found\. Install it .*apt-get install -y redis-server.* or set REDIS_URL/);
  });
});
