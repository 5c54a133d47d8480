import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "@/lib/log";
import { NEXT_DIST_DIR } from "@/lib/next-dist-dir";

/** Everything that changes the production build; models and tests do not. */
const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const SKIP_DIRS = new Set(["node_modules", ".next", "diffusion"]);

async function hashTree(root: string, entry: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const full = path.join(root, entry);
  const entries = await readdir(full, { withFileTypes: true }).catch(() => null);
  if (entries === null) {
    const content = await readFile(full).catch(() => null);
    if (content) hash.update(entry).update(content);
    return;
  }
  for (const child of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (child.isDirectory() && SKIP_DIRS.has(child.name)) continue;
    await hashTree(root, path.join(entry, child.name), hash);
  }
}

async function sourceHash(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const input of BUILD_INPUTS) await hashTree(root, input, hash);
  return hash.digest("hex");
}

/**
 * Runs `next build` only when the sources changed since the last build, so a
 * second `npm start` is quick. The hash is written after a successful build.
 */
export async function ensureProductionBuild(root: string, log: Logger): Promise<void> {
  const stamp = path.join(root, NEXT_DIST_DIR, "mirage-source-hash");
  const current = await sourceHash(root);
  const previous = await readFile(stamp, "utf8").catch(() => null);
  if (previous === current && existsSync(path.join(root, NEXT_DIST_DIR, "BUILD_ID"))) {
    log.info("production build is up to date");
    return;
  }
  log.info("building the web app (first start, or sources changed; about 1–3 minutes on 2 cores)");
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}); see its output above.`))));
  });
  await writeFile(stamp, current);
  log.info({ seconds: Math.round((Date.now() - started) / 1000) }, "web app built");
}
