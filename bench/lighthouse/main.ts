/**
 * Lighthouse on the studio's busiest pages, signed in (issue 19's quality bar:
 * accessibility ≥ 98, best practices 100, performance ≥ 95).
 *
 *   node --import tsx bench/lighthouse/main.ts --url http://localhost:3000 [--pages create,organize,admin] [--form-factor desktop|mobile|both]
 *
 * Runs against a studio that is already up (`npm start`, or the launcher on
 * other ports), signed in as ADMIN_EMAIL / ADMIN_PASSWORD (or --email /
 * --password) so /admin is reachable. Lighthouse itself is not a dependency
 * of the studio: it runs through `npx` at the pinned version below, which
 * supports this project's Node 20, with Debian's Chromium headless.
 *
 * Prints each page's category scores (0–100) per form factor, the metrics
 * the performance score is made of (with their values and scores) and, for
 * every audit of accessibility and best practices that did not pass, its id
 * and title, then the command line.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";

const LIGHTHOUSE = "lighthouse@12.8.2";
const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    pages: { type: "string", default: "create,organize,admin" },
    "form-factor": { type: "string", default: "both" },
    email: { type: "string", default: process.env.ADMIN_EMAIL ?? "" },
    password: { type: "string", default: process.env.ADMIN_PASSWORD ?? "" },
    chrome: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});

const ZReport = z.object({
  categories: z.record(z.string(), z.object({ score: z.number().nullable(), auditRefs: z.array(z.object({ id: z.string(), weight: z.number() })) })),
  audits: z.record(z.string(), z.object({ title: z.string(), score: z.number().nullable(), scoreDisplayMode: z.string(), displayValue: z.string().optional() })),
  runtimeError: z.object({ code: z.string(), message: z.string() }).optional(),
});
type Report = z.infer<typeof ZReport>;

/** Signs in with email and password; the session cookie comes back as one Cookie header value. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  if (!email || !password) throw new Error("Set ADMIN_EMAIL and ADMIN_PASSWORD (or --email/--password): /admin needs an admin session.");
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

function runLighthouse(url: string, cookie: string, formFactor: "desktop" | "mobile"): Promise<Report> {
  const argv = [
    "--yes",
    LIGHTHOUSE,
    url,
    "--output=json",
    "--output-path=stdout",
    "--quiet",
    `--only-categories=${CATEGORIES.join(",")}`,
    `--chrome-path=${args.chrome}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
    ...(formFactor === "desktop" ? ["--preset=desktop"] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("npx", argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CHROME_PATH: args.chrome } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited ${code}: ${Buffer.concat(err).toString().slice(-2000)}`));
      const report = ZReport.parse(JSON.parse(Buffer.concat(out).toString()));
      if (report.runtimeError) return reject(new Error(`lighthouse: ${report.runtimeError.code} ${report.runtimeError.message}`));
      resolve(report);
    });
  });
}

/** Audits of a category that count towards its score and did not pass. */
function failing(report: Report, category: string): string[] {
  const refs = report.categories[category]?.auditRefs ?? [];
  return refs
    .filter((ref) => ref.weight > 0 || category !== "performance")
    .map((ref) => ({ id: ref.id, audit: report.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "notApplicable" && audit.scoreDisplayMode !== "manual")
    .map(({ id, audit }) => `${id} (${audit!.title}, score ${audit!.score})`);
}

/** The performance score's weighted metrics, with their values: where a score under 100 comes from. */
function performanceMetrics(report: Report): string {
  return (report.categories.performance?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0)
    .map((ref) => `${ref.id} ${report.audits[ref.id]?.displayValue ?? "?"} (${report.audits[ref.id]?.score ?? "?"})`)
    .join(", ");
}

/** The command line as typed, less the password (`--password=x` or `--password x`). */
function withoutPassword(argv: string[]): string[] {
  return argv.filter((arg, i) => !arg.startsWith("--password") && argv[i - 1] !== "--password");
}

async function main(): Promise<void> {
  const base = args.url.replace(/\/+$/, "");
  const factors = args["form-factor"] === "both" ? (["desktop", "mobile"] as const) : [z.enum(["desktop", "mobile"]).parse(args["form-factor"])];
  const cookie = await signIn(base, args.email, args.password);
  const rows: string[] = [];
  for (const page of args.pages.split(",").map((name) => name.trim()).filter(Boolean)) {
    for (const formFactor of factors) {
      const report = await runLighthouse(`${base}/${page}`, cookie, formFactor);
      const scores = CATEGORIES.map((category) => Math.round((report.categories[category]?.score ?? 0) * 100));
      rows.push(`| /${page} | ${formFactor} | ${scores.join(" | ")} |`);
      console.log(`  /${page} ${formFactor} performance: ${performanceMetrics(report)}`);
      for (const category of ["accessibility", "best-practices"]) {
        for (const line of failing(report, category)) console.log(`  /${page} ${formFactor} ${category}: ${line}`);
      }
    }
  }
  console.log(`\nload average ${loadavg().map((value) => value.toFixed(1)).join(" / ")}`);
  console.log(`| page | form factor | ${CATEGORIES.join(" | ")} |\n|---|---|---|---|---|\n${rows.join("\n")}`);
  console.log(`\ncommand: node --import tsx bench/lighthouse/main.ts ${withoutPassword(process.argv.slice(2)).join(" ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
