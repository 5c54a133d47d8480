import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `import "server-only"` makes Next refuse a module in a client bundle, but the
 * package throws in plain Node. The worker, the CLI, the launcher, the bench
 * scripts and Playwright's setup run in plain Node (tsx), so nothing they
 * import, however indirectly, may carry the marker.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const PLAIN_NODE_ROOTS = ["workers", "lib/cli", "lib/launcher", "bench", "scripts", "tests/e2e", "playwright.config.ts"];
const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((item) =>
    item.isDirectory() ? (item.name === "node_modules" ? [] : sourceFiles(path.join(entry, item.name))) : /\.tsx?$/.test(item.name) ? [path.join(full, item.name)] : [],
  );
}

function resolveImport(specifier: string, from: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), base.replace(/\.js$/, ".ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Each marked module reachable from the entries, with the chain that reaches it. */
function markedModulesReachedFrom(entries: string[]): string[] {
  const parent = new Map<string, string | null>(entries.map((entry) => [entry, null]));
  const queue = [...entries];
  const marked: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? "";
      if (specifier === "server-only") {
        const chain: string[] = [];
        for (let at: string | null | undefined = file; at; at = parent.get(at)) chain.unshift(path.relative(ROOT, at));
        marked.push(chain.join(" → "));
        continue;
      }
      const target = resolveImport(specifier, file);
      if (target && !parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
  }
  return marked;
}

describe("server-only modules", () => {
  it("are never imported by code that runs in plain Node (worker, CLI, launcher, bench, e2e setup)", () => {
    const entries = PLAIN_NODE_ROOTS.flatMap(sourceFiles);
    expect(entries.length).toBeGreaterThan(10);
    expect(markedModulesReachedFrom(entries)).toEqual([]);
  });

  it("finds a marked module when one is reachable (the check itself works)", () => {
    expect(markedModulesReachedFrom([path.join(ROOT, "app/api/v1/health/route.ts")]).some((chain) => chain.endsWith("lib/server/health.ts"))).toBe(true);
  });
});
