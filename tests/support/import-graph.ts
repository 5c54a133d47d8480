import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * A small static import walker for architecture tests: follows `@/` and
 * relative imports of TypeScript sources (not packages). Type-only imports
 * are skipped on request, since they vanish at runtime.
 */
export const ROOT = path.resolve(import.meta.dirname, "../..");
const IMPORT = /(?:import|export)\s+(type\s+)?[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

/** Every .ts/.tsx file under a folder (or the file itself), relative to the repository. */
export function sourceFiles(entry: string): string[] {
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

export interface ImportEdge {
  /** The import as written. */
  specifier: string;
  /** How the walk got there: entry → … → the importing file (repository-relative). */
  chain: string;
}

/** Walks from the entries and reports every import specifier met, with the chain of files that leads to it. */
export function walkImports(entries: string[], options: { skipTypeOnly?: boolean } = {}): ImportEdge[] {
  const parent = new Map<string, string | null>(entries.map((entry) => [entry, null]));
  const queue = [...entries];
  const edges: ImportEdge[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const chainTo = () => {
      const files: string[] = [];
      for (let at: string | null | undefined = file; at; at = parent.get(at)) files.unshift(path.relative(ROOT, at));
      return files.join(" → ");
    };
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (options.skipTypeOnly && match[1]) continue;
      const specifier = match[2] ?? match[3] ?? match[4] ?? "";
      edges.push({ specifier, get chain() { return chainTo(); } });
      const target = resolveImport(specifier, file);
      if (target && !parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
  }
  return edges;
}

/**
 * The static, run-time imports between the repository's own files reachable
 * from the entries: type-only imports (`import type`) and dynamic `import()`
 * are left out, since neither runs while a module evaluates.
 */
export function runtimeImportGraph(entries: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (graph.has(file)) continue;
    const targets: string[] = [];
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (match[1] || match[3]) continue;
      const target = resolveImport(match[2] ?? match[4] ?? "", file);
      if (target) targets.push(target);
    }
    graph.set(file, targets);
    queue.push(...targets.filter((target) => !graph.has(target)));
  }
  return graph;
}

/** Each cycle of a graph once, as the files around it (repository-relative), from a depth-first walk. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "open") cycles.push(stack.slice(stack.indexOf(target)).map((at) => path.relative(ROOT, at)));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
