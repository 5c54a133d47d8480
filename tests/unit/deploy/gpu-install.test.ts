import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 18, finding 9: onnxruntime-node's install script is what downloads
 * the CUDA provider. It must be allowed to run (package.json `allowScripts`),
 * the repo's `.npmrc` must keep ordinary installs offline (`skip`), and
 * `ONNXRUNTIME_NODE_INSTALL=cuda12` must still win over that skip, or a GPU
 * host would silently get a CPU-only build.
 */
const root = path.resolve(import.meta.dirname, "../../..");
const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
const npmrc = readFileSync(path.join(root, ".npmrc"), "utf8");
const require = createRequire(import.meta.url);
const ortPackagePath = require.resolve("onnxruntime-node/package.json");
const ortDir = path.dirname(ortPackagePath);

/** What onnxruntime-node's own flag parser decides, in a child process with the env npm would give its install script. */
function installFlag(env: Record<string, string>): unknown {
  const script = `const { parseInstallFlag } = require(${JSON.stringify(path.join(ortDir, "script/install-utils.js"))}); process.stdout.write(JSON.stringify(parseInstallFlag() ?? null));`;
  const childEnv = { ...process.env };
  for (const name of Object.keys(childEnv)) if (/^(ONNXRUNTIME_NODE_INSTALL|npm_config_onnxruntime)/i.test(name)) delete childEnv[name];
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...childEnv, ...env }, encoding: "utf8" }));
}

/** `.npmrc` settings reach install scripts as `npm_config_<name with _ for ->`. */
function npmrcEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of npmrc.split("\n")) {
    const match = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) env[`npm_config_${match[1].replace(/-/g, "_")}`] = match[2];
  }
  return env;
}

describe("GPU install path", () => {
  it("lets onnxruntime-node's install script run", () => {
    const ort = JSON.parse(readFileSync(ortPackagePath, "utf8")) as { scripts?: Record<string, string> };
    expect(ort.scripts?.postinstall ?? ort.scripts?.install).toMatch(/script\/install/);
    expect(packageJson.allowScripts?.["onnxruntime-node"]).toBe(true);
  });

  it("skips the download on an ordinary install (offline, CPU binaries ship in the package)", () => {
    expect(npmrcEnv()).toMatchObject({ npm_config_onnxruntime_node_install: "skip" });
    expect(installFlag(npmrcEnv())).toBe(false);
  });

  it("installs the CUDA 12 provider on linux/x64 when ONNXRUNTIME_NODE_INSTALL=cuda12, despite the .npmrc skip", () => {
    // The variable wins over the npm config. 1.30's parser returns undefined for
    // "cuda12" (no `return flag` in its default branch); the script then installs
    // the platform's default manifest whenever its files are missing, and on
    // linux/x64 that manifest is cuda12. Either way the script does not exit early.
    const flag = installFlag({ ...npmrcEnv(), ONNXRUNTIME_NODE_INSTALL: "cuda12" });
    expect(flag === "cuda12" || flag === null).toBe(true);
    const metadata = require(path.join(ortDir, "script/install-metadata.js")) as { requirements: Record<string, string[]>; manifests: Record<string, unknown> };
    expect(metadata.requirements["linux/x64"]).toContain("cuda12");
    expect(metadata.manifests["linux/x64:cuda12"]).toBeDefined();
  });
});
