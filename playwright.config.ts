import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests drive Debian's Chromium against a real studio started by
 * the same launcher as `npm start`, with its own throwaway data folder.
 */
// Ports can be moved (E2E_PORT, E2E_PG_PORT, E2E_REDIS_PORT) so two suites on one
// machine run side by side; a moved suite also gets its own data, build and results folders.
const PORT = Number(process.env.E2E_PORT ?? 3100);
// The bundled model when it is present; otherwise the tiny random-weight SD
// export the engine's tests use, so the whole path still runs.
const BUNDLED = existsSync("models/mirage-tiny/model_index.json");
const MODEL_ENV: Record<string, string> = BUNDLED ? {} : { MODELS_DIR: "tests/fixtures/diffusion", DEFAULT_MODEL: "tiny-sd-optimum" };

/** The studio's throwaway data folder (database, Redis, images); a moved suite gets its own. */
export const E2E_HOME = process.env.E2E_PORT ? `.data/e2e-${PORT}` : ".data/e2e";

export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };

export default defineConfig({
  testDir: "tests/e2e",
  // Playwright empties this folder when a run starts: a moved suite keeps its own.
  outputDir: process.env.E2E_PORT ? `test-results/e2e-${PORT}` : "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  // Assertions wait up to 15 s: on a loaded 2-core machine a sign-up round trip alone took 3.3 s.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: {
    command: `rm -rf ${E2E_HOME} && node --experimental-wasm-modules --disable-warning=ExperimentalWarning --import tsx lib/launcher/main.ts`,
    url: `http://localhost:${PORT}/sign-in`,
    timeout: 600_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      MIRAGE_HOME: E2E_HOME,
      EMBEDDED_POSTGRES_PORT: process.env.E2E_PG_PORT ?? "54339",
      EMBEDDED_REDIS_PORT: process.env.E2E_REDIS_PORT ?? "63809",
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      LOG_LEVEL: "warn",
      // A moved suite also builds into its own folder (lib/next-dist-dir.ts), so side-by-side runs never share a build.
      ...(process.env.E2E_PORT ? { MIRAGE_NEXT_DIR: `.data/next-e2e-${PORT}` } : {}),
      ...MODEL_ENV,
    },
  },
});
