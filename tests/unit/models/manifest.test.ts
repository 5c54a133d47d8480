import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManifestError, parseModelManifest, readModelManifest } from "@/lib/models/manifest";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mirage-manifest-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const write = (json: unknown) => writeFile(path.join(dir, "mirage.json"), typeof json === "string" ? json : JSON.stringify(json));

describe("readModelManifest", () => {
  it("reads mirage-tiny's manifest: sizes, presets, style axes and its Draft vocabulary", async () => {
    const read = await readModelManifest("models/mirage-tiny");
    expect(read?.problems).toEqual({});
    const manifest = read!.manifest;
    expect(manifest.sizes?.["16:9"]).toEqual({ width: 176, height: 96 });
    expect(manifest.presets?.["draft"]?.steps).toBe(4);
    expect(manifest.style_axes?.map((axis) => axis.id)).toEqual(["saturation", "temperature", "brightness", "outline", "shading", "detail"]);
    expect(manifest.draft?.subjects).toContain("house");
    expect(manifest.draft?.backgrounds?.map((background) => background.id)).toEqual(expect.arrayContaining(manifest.vocabulary!.backgrounds!));
  });

  it("is undefined for a plain diffusers export without a manifest", async () => {
    expect(await readModelManifest(dir)).toBeUndefined();
  });

  it("refuses a manifest whose core fields are wrong, naming the file and the field", async () => {
    await write({ name: "x", sizes: { "1:1": { width: -4, height: 64 } } });
    await expect(readModelManifest(dir)).rejects.toThrow(ManifestError);
    await expect(readModelManifest(dir)).rejects.toThrow(/mirage\.json is not a valid model manifest: .*sizes/);
    await write("{ not json");
    await expect(readModelManifest(dir)).rejects.toThrow(/not JSON/);
  });

  it("leaves out a broken feature section and says why, keeping the rest", async () => {
    await write({ name: "x", negative_prompt: "blurry", style_axes: [{ id: "a", negative: "n", positive: "p", gain: -1 }], draft: { subjects: ["robot"], extra: 1 } });
    const read = await readModelManifest(dir);
    expect(read?.manifest.negative_prompt).toBe("blurry");
    expect(read?.manifest.style_axes).toBeUndefined();
    expect(read?.manifest.draft).toBeUndefined();
    expect(read?.problems.style_axes).toMatch(/gain/);
    expect(read?.problems.draft).toMatch(/extra/);
  });

  it("parses a file once while it is unchanged and again after an edit", async () => {
    await write({ name: "first" });
    const first = await readModelManifest(dir);
    expect(await readModelManifest(dir)).toBe(first);
    await write({ name: "second, a longer name" });
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, "mirage.json"), later, later);
    expect((await readModelManifest(dir))?.manifest.name).toBe("second, a longer name");
  });

  it("keeps unknown core keys, so a newer manifest still loads", () => {
    expect(parseModelManifest({ name: "x", future_field: [1, 2] }).manifest).toMatchObject({ future_field: [1, 2] });
  });
});
