import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { browserRoutesSource } from "@/lib/api/endpoints/write-routes";
import nextConfig from "../../next.config";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every .ts/.tsx file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("the browser's endpoint table (lib/api/endpoints/browser.ts)", () => {
  it("is the registry's methods and paths, regenerated after every endpoint change", () => {
    const onDisk = readFileSync(path.join(ROOT, "lib/api/endpoints/routes.generated.ts"), "utf8");
    expect(onDisk, "stale: run `node --import tsx lib/api/endpoints/write-routes.ts`").toBe(browserRoutesSource());
  });

  it("replaces the registry in the browser bundle only", () => {
    expect(nextConfig.turbopack?.resolveAlias?.["@/lib/api/endpoints"]).toEqual({ browser: "./lib/api/endpoints/browser.ts" });
  });

  it("is enough for the UI: no component or page reads an endpoint's schemas or access at run time", () => {
    const readers = [...sources(path.join(ROOT, "components")), ...sources(path.join(ROOT, "app")).filter((file) => !file.includes(`${path.sep}api${path.sep}`))].filter((file) =>
      /endpoints\.\w+\.(body|query|params|responses|access|binaryBody)\b/.test(readFileSync(file, "utf8")),
    );
    expect(readers).toEqual([]);
  });
});
