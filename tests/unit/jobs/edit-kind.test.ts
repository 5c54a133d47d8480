/** The edit kind: each operation's engine request, size and cost shape; uploads are read at the edit size. */
import { describe, expect, it } from "vitest";
import { ZGenerationRequest } from "@/lib/diffusion";
import { editKind } from "@/lib/jobs/kinds/edit";
import { costShape, engineRequest, imageCount, outputSize, ZJobParams, type TJobParams } from "@/lib/jobs/registry";

const base = { kind: "edit", model: "mirage-tiny", prompt: "a blue star", negativePrompt: "", seed: 3, quality: "full", count: 4 } as const;

function io(reads: Array<[string, unknown]>) {
  return {
    async readImage(storageKey: string, cover?: { width: number; height: number }) {
      reads.push([storageKey, cover]);
      const width = cover?.width ?? 128;
      const height = cover?.height ?? 128;
      return { width, height, data: new Uint8Array(width * height * 3) };
    },
  };
}

describe("edit job kind", () => {
  it.each([
    [{ kind: "zoom", factor: 1.5 }, { kind: "zoom", factor: 1.5 }],
    [{ kind: "pan", direction: "up" }, { kind: "pan", direction: "up" }],
    [{ kind: "square" }, { kind: "square" }],
  ] as const)("maps %o to an outpaint request", async (edit, move) => {
    const params = ZJobParams.parse({ ...base, edit, source: { storageKey: "u/j/0", imageId: "i", width: 128, height: 128 }, output: { width: 128, height: 192 } }) as TJobParams;
    const reads: Array<[string, unknown]> = [];
    const request = await engineRequest(params, io(reads));
    expect(ZGenerationRequest.parse(request)).toMatchObject({ kind: "outpaint", move, count: 4, prompt: "a blue star" });
    expect(reads).toEqual([["u/j/0", undefined]]);
    expect(outputSize(params)).toEqual({ width: 128, height: 192 });
    expect(imageCount(params)).toBe(4);
    expect(costShape(params)).toEqual({ input: { width: 128, height: 192 }, variant: edit.kind });
  });

  it("reads an upload and its mask at the edit size, and passes the mask as stored (RGB)", async () => {
    const params = ZJobParams.parse({ ...base, edit: { kind: "region", maskStorageKey: "u/masks/m" }, source: { storageKey: "u/uploads/x", uploadId: "x", width: 176, height: 96 }, output: { width: 176, height: 96 } }) as TJobParams;
    const reads: Array<[string, unknown]> = [];
    const request = ZGenerationRequest.parse(await engineRequest(params, io(reads)));
    expect(reads).toEqual([["u/uploads/x", { width: 176, height: 96 }], ["u/masks/m", { width: 176, height: 96 }]]);
    expect(request.kind).toBe("inpaint");
  });

  it("labels its four types and marks them as made from an image", () => {
    expect(Object.entries(editKind.types).map(([type, d]) => [type, d.label, d.fromImage])).toEqual([
      ["vary-region", "Vary (Region)", true],
      ["zoom-out", "Zoom Out", true],
      ["pan", "Pan", true],
      ["make-square", "Make Square", true],
    ]);
  });
});
