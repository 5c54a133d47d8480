import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles, walkImports } from "../support/import-graph";

/**
 * `import "server-only"` makes Next refuse a module in a client bundle, but the
 * package throws in plain Node. The worker, the CLI, the launcher, the bench
 * scripts and Playwright's setup run in plain Node (tsx), so nothing they
 * import, however indirectly, may carry the marker.
 */
const PLAIN_NODE_ROOTS = ["workers", "lib/cli", "lib/launcher", "bench", "scripts", "tests/e2e", "playwright.config.ts"];

function markedModules(entries: string[]): string[] {
  return walkImports(entries)
    .filter((edge) => edge.specifier === "server-only")
    .map((edge) => edge.chain);
}

describe("server-only modules", () => {
  it("are never imported by code that runs in plain Node (worker, CLI, launcher, bench, e2e setup)", () => {
    const entries = PLAIN_NODE_ROOTS.flatMap(sourceFiles);
    expect(entries.length).toBeGreaterThan(10);
    expect(markedModules(entries)).toEqual([]);
  });

  it("finds a marked module when one is reachable (the check itself works)", () => {
    expect(markedModules([path.join(ROOT, "app/api/v1/health/route.ts")]).some((chain) => chain.endsWith("lib/server/health.ts"))).toBe(true);
  });
});
