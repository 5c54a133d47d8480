import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Three tiers share one config: `unit` is pure code, `integration` talks to real
// Postgres and Redis (each run gets its own database and Redis prefix), `chaos`
// breaks them on purpose.
export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Server modules say `import "server-only"` so Next refuses them in a client bundle; the package
      // throws outside React's server condition, so tests (plain Node) get its own empty module, as Next's server build does.
      "server-only": `${root}node_modules/server-only/empty.js`,
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          // Property tests run hundreds of cases; on a busy 2-core machine 5 s is too tight.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          // One database per run; files share it, so run them one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Fault scenarios (`npm run test:chaos`): real worker processes killed,
          // restarted and starved; each scenario is bounded by its own timeout.
          name: "chaos",
          include: ["tests/chaos/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
