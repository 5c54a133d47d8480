import { describe, expect, it } from "vitest";
import { ZCreateTokenRequest, ZIdParam } from "@/lib/schemas/account";
import { ZUpdateUserRequest } from "@/lib/schemas/admin";
import { dayString, safeText, unsafeStringReason, ZSafeString } from "@/lib/schemas/common";
import { ZDraftMessageRequest, ZStartDraftRequest } from "@/lib/schemas/draft";
import { ZCreateFolderRequest, ZGalleryQuery, ZSmartQuery } from "@/lib/schemas/gallery";
import { ZCreateJobRequest, ZJobListQuery } from "@/lib/schemas/jobs";
import { ZAdminUsageQuery, ZEstimateRequest, ZGrantRequest } from "@/lib/schemas/usage";

/**
 * Issue 18, finding 5: strings Postgres cannot store (NUL: 22021; lone
 * surrogates: 22P05/22021) and dates it cannot hold (year 0: 22008) reached
 * it from many routes and came back as 500s. Every request schema must refuse
 * them as a 400 instead.
 */
const NUL = "a\u0000b";
const LONE_HIGH = "a\uD800b";
const LONE_LOW = "\uDC00";
const CONTROL = "a\u0007b";

describe("shared string and date schemas", () => {
  it("refuse NUL, lone surrogates and control characters, and keep ordinary text (emoji, newlines, RTL)", () => {
    for (const bad of [NUL, LONE_HIGH, LONE_LOW, CONTROL, "\u007F"]) expect(ZSafeString.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    for (const good of ["a cat 🐈 in a hat", "line one\nline two\ttabbed", "‮rtl", "日本語", ""]) expect(ZSafeString.parse(good)).toBe(good);
    expect(unsafeStringReason(NUL)).toMatch(/NUL/);
    expect(unsafeStringReason(LONE_HIGH)).toMatch(/surrogate/);
  });

  it("safeText trims and bounds, and names the field", () => {
    const name = safeText("name", 5);
    expect(name.parse("  abc ")).toBe("abc");
    expect(name.safeParse("abcdef").error?.issues[0]?.message).toBe("name must be at most 5 characters");
    expect(name.safeParse(NUL).success).toBe(false);
  });

  it("dates refuse year 0 and out-of-range years", () => {
    const day = dayString("from");
    for (const bad of ["0000-01-01", "0001-01-01", "1899-12-31", "2026-02-30", "+275760-09-13", "2026-1-1", "9999-99-99"]) expect(day.safeParse(bad).success, bad).toBe(false);
    for (const good of ["1900-01-01", "2026-12-07", "9999-12-31"]) expect(day.parse(good)).toBe(good);
  });
});

describe("every request schema refuses hostile strings", () => {
  const refused: Array<[string, { safeParse(value: unknown): { success: boolean } }, unknown]> = [
    ["gallery q", ZGalleryQuery, { q: NUL }],
    ["gallery cursor", ZGalleryQuery, { cursor: NUL }],
    ["gallery from year 0", ZGalleryQuery, { from: "0000-01-01" }],
    ["gallery to lone surrogate", ZGalleryQuery, { to: LONE_HIGH }],
    ["job list cursor", ZJobListQuery, { cursor: "x\u0000" }],
    ["path id", ZIdParam, { id: NUL }],
    ["path id with a slash", ZIdParam, { id: "../etc" }],
    ["token name", ZCreateTokenRequest, { name: NUL }],
    ["token name lone surrogate", ZCreateTokenRequest, { name: LONE_LOW }],
    ["smart folder from year 0", ZCreateFolderRequest, { name: "old", query: { from: "0000-01-01" } }],
    ["smart folder q NUL", ZSmartQuery, { q: NUL }],
    ["folder name", ZCreateFolderRequest, { name: CONTROL }],
    ["draft start", ZStartDraftRequest, { prompt: NUL }],
    ["draft message", ZDraftMessageRequest, { message: NUL }],
    ["job prompt", ZCreateJobRequest, { prompt: LONE_HIGH }],
    ["upload id", ZCreateJobRequest, { prompt: "a cat", imagePrompt: { uploadId: NUL } }],
    ["image id", ZEstimateRequest, { prompt: "a cat", imagePrompt: { imageId: "x\u0000" } }],
    ["admin plan name", ZUpdateUserRequest, { plan: NUL }],
    ["grant note", ZGrantRequest, { hours: 1, note: NUL }],
    ["admin usage from", ZAdminUsageQuery, { from: "0000-01-01" }],
  ];
  for (const [label, schema, value] of refused) {
    it(label, () => expect(schema.safeParse(value).success).toBe(false));
  }

  it("still accepts the ordinary forms", () => {
    expect(ZGalleryQuery.safeParse({ q: "cat", from: "2026-01-01", cursor: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" }).success).toBe(true);
    expect(ZIdParam.safeParse({ id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" }).success).toBe(true);
    expect(ZCreateFolderRequest.safeParse({ name: "Cats", query: { q: "cat", from: "2026-01-01" } }).success).toBe(true);
  });
});
