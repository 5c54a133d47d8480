import { describe, expect, it } from "vitest";
import { importCycles, runtimeImportGraph, sourceFiles } from "../support/import-graph";

/**
 * The browser evaluates a bundle's modules in import order; in a cycle, one
 * module runs before a binding it uses is initialised, and which one depends
 * on where the page enters the cycle. A cycle in lib/prompt (style-reference
 * → spec → recipe → style-reference, the middle edge a type-only import
 * written `import { type … }`) broke the Draft page's large view with
 * "Cannot access 'p' before initialization" once another page stopped
 * entering it elsewhere. So no module the components reach may be in one.
 */
describe("modules the browser loads", () => {
  it("import one another without cycles", () => {
    const cycles = importCycles(runtimeImportGraph(sourceFiles("components")));
    expect(cycles.map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});
