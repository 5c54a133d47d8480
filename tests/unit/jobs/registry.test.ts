import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZGenerationRequest } from "@/lib/diffusion";
import { JOB_MODES, JOB_STATUSES, JOB_STATUS_LABELS, JOB_MODE_LABELS } from "@/lib/jobs/model";
import { GPU_TASKS } from "@/lib/jobs/queue";
import { costShape, engineRequest, imageCount, JOB_KINDS, JOB_TYPE_LABELS, JOB_TYPES, outputSize, ZJobParams, type TJobParams } from "@/lib/jobs/registry";
import { JOB_TYPE_LABELS as BROWSER_LABELS } from "@/lib/jobs/type-labels.generated";
import { typeLabelsSource } from "@/lib/jobs/write-type-labels";
import { ZJobMode, ZJobStatus, ZJobType } from "@/lib/schemas/jobs";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const schema = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");

/** The values of a Prisma enum, as declared in schema.prisma. */
function prismaEnum(name: string): string[] {
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)?.[1];
  if (!body) throw new Error(`no enum ${name} in schema.prisma`);
  return body.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "").filter((word) => word && !word.startsWith("@@") && !word.startsWith("//"));
}

const common = { model: "mirage-tiny", prompt: "a red boat", negativePrompt: "", seed: 7, quality: "full" as const };
const source = { imageId: "img", storageKey: "u/j/0", width: 64, height: 48 };
/** One valid params object per registered kind: a kind added without one here fails below. */
const EXAMPLES: Record<TJobParams["kind"], TJobParams> = {
  imagine: { kind: "imagine", ...common, width: 64, height: 48, count: 4, imagePrompt: { storageKey: "u/uploads/x", weight: 1, uploadId: "x" } },
  vary: { kind: "vary", ...common, strength: "strong", source, count: 4 },
  upscale: { kind: "upscale", ...common, mode: "subtle", source },
  edit: { kind: "edit", ...common, edit: { kind: "region", maskStorageKey: "u/masks/m" }, source: { ...source, imageId: "img" }, output: { width: 64, height: 48 }, count: 4 },
};

describe("job model declarations", () => {
  it("declares statuses and modes once: the Prisma enums, zod enums and labels agree with them", () => {
    expect(prismaEnum("JobStatus")).toEqual([...JOB_STATUSES]);
    expect(prismaEnum("JobMode")).toEqual([...JOB_MODES]);
    expect(ZJobStatus.options).toEqual([...JOB_STATUSES]);
    expect(ZJobMode.options).toEqual([...JOB_MODES]);
    expect(Object.keys(JOB_STATUS_LABELS).sort()).toEqual([...JOB_STATUSES].sort());
    expect(Object.keys(JOB_MODE_LABELS).sort()).toEqual([...JOB_MODES].sort());
  });

  it("keeps job types out of the database schema: the column is text, validated by the registry", () => {
    expect(schema).not.toMatch(/enum JobType\b/);
    expect(schema).toMatch(/^\s+type\s+String\b/m);
  });

  it("derives the API's job type enum and the labels from the kinds", () => {
    expect(ZJobType.options).toEqual(JOB_TYPES);
    expect(new Set(JOB_TYPES).size).toBe(JOB_TYPES.length);
    for (const type of JOB_TYPES) expect(JOB_TYPE_LABELS[type], type).toMatch(/\w/);
    const declared = JOB_KINDS.flatMap((kind) => Object.keys(kind.types));
    for (const type of declared) expect(JOB_TYPES).toContain(type);
  });

  it("gives client components the same labels without the kind modules (regenerated after every kind change)", () => {
    const onDisk = readFileSync(path.join(ROOT, "lib/jobs/type-labels.generated.ts"), "utf8");
    expect(onDisk, "stale: run `node --import tsx lib/jobs/write-type-labels.ts`").toBe(typeLabelsSource());
    expect(BROWSER_LABELS).toEqual(JOB_TYPE_LABELS);
  });

  it("has queue task names the worker dispatches on, one per task", () => {
    expect(new Set(Object.values(GPU_TASKS)).size).toBe(Object.values(GPU_TASKS).length);
  });
});

describe.each(JOB_KINDS.map((kind) => [kind.kind, kind] as const))("job kind %s", (name, kind) => {
  const example = EXAMPLES[name];

  it("is registered with an example, and ZJobParams selects its schema", () => {
    expect(example, `add an example for kind "${name}" to this test`).toBeDefined();
    expect(ZJobParams.parse(example)).toEqual(kind.params.parse(example));
    expect(ZJobParams.safeParse({ ...example, kind: "no-such-kind" }).success).toBe(false);
  });

  it("sizes, counts and prices its jobs", () => {
    const size = outputSize(example);
    expect(size.width).toBeGreaterThan(0);
    expect(size.height).toBeGreaterThan(0);
    expect(imageCount(example)).toBeGreaterThanOrEqual(1);
    expect(costShape(example).input.width).toBeGreaterThan(0);
  });

  it("builds an engine request the engine accepts, reading images through the worker's io", async () => {
    const read: string[] = [];
    const request = await engineRequest(example, {
      async readImage(storageKey, cover) {
        read.push(storageKey);
        const width = cover?.width ?? 64;
        const height = cover?.height ?? 48;
        return { width, height, data: new Uint8Array(width * height * 3) };
      },
    });
    expect(ZGenerationRequest.safeParse(request).error).toBeUndefined();
    expect(request.prompt).toBe(example.prompt);
    if (name === "edit") expect(read).toEqual(["u/j/0", "u/masks/m"]);
    else if (name !== "imagine" || "imagePrompt" in example) expect(read.length).toBe(1);
  });
});
