import { describe, expect, it } from "vitest";
import { expectedTiles, liveStatusLabel } from "@/components/create/live-status";

/** What a running job's card says (docs/live-previews.md §1). */
describe("liveStatusLabel", () => {
  const waiting = { fraction: 0, stage: null };
  it("says how many jobs are ahead while the job waits", () => {
    expect(liveStatusLabel("queued", { ...waiting, ahead: 3 })).toBe("Queued · 3 ahead");
    expect(liveStatusLabel("queued", { ...waiting, ahead: 0 })).toBe("Queued · next");
    expect(liveStatusLabel("queued", { ...waiting, ahead: null })).toBe("Queued");
    expect(liveStatusLabel("queued", { ...waiting, ahead: undefined })).toBe("Queued");
  });

  it("says Generating with a percentage once a worker reports progress, even before the running snapshot", () => {
    expect(liveStatusLabel("queued", { fraction: 0.4, stage: "denoise", ahead: 2 })).toBe("Generating 40 %");
    expect(liveStatusLabel("running", { fraction: 0, stage: null, ahead: undefined })).toBe("Generating 0 %");
    expect(liveStatusLabel("running", { fraction: 0.25, stage: "upscale", ahead: undefined })).toBe("Upscaling 25 %");
  });

  it("says Saving once inference is done", () => {
    expect(liveStatusLabel("running", { fraction: 1, stage: "decode", ahead: undefined })).toBe("Saving");
    expect(liveStatusLabel("running", { fraction: 1, stage: "denoise", ahead: undefined })).toBe("Saving");
  });
});

describe("expectedTiles", () => {
  it("follows the previews, else one tile for an upscale and four otherwise", () => {
    expect(expectedTiles({ type: "imagine" }, null)).toBe(4);
    expect(expectedTiles({ type: "upscale-creative" }, null)).toBe(1);
    expect(expectedTiles({ type: "imagine" }, ["a", "b"])).toBe(2);
  });
});
