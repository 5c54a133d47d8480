import { describe, expect, it } from "vitest";
import { blendProfiles, cosine, isProfileCode, profileCode } from "@/lib/personalization";

describe("profileCode", () => {
  it("is 8 characters of [a-z0-9]", () => {
    for (let version = 0; version < 200; version++) expect(profileCode(`user-${version % 7}`, version)).toMatch(/^[a-z0-9]{8}$/);
  });

  it("is stable: the same inputs give the same code, today and in every later release", () => {
    expect(profileCode("user-1", 1)).toBe(profileCode("user-1", 1));
    // Golden values: a change here breaks every code users have shared.
    expect([profileCode("user-1", 1), profileCode("user-1", 2), profileCode("cm9x0user", 0)]).toEqual(["7jomgmj2", "bj1x6gq8", "ep0ntarm"]);
  });

  it("separates users, versions and retry attempts, with no ambiguity in how they are joined", () => {
    const codes = new Set<string>();
    for (let user = 0; user < 100; user++) for (let version = 0; version < 100; version++) codes.add(profileCode(`u${user}`, version));
    expect(codes.size).toBe(10_000);
    expect(profileCode("u1", 11)).not.toBe(profileCode("u11", 1));
    expect(profileCode("u1", 1, 1)).not.toBe(profileCode("u1", 1));
    expect(profileCode("ü", 1)).not.toBe(profileCode("u", 1));
  });

  it("spreads codes evenly over the first character (no visible structure)", () => {
    const counts = new Map<string, number>();
    for (let version = 0; version < 36_000; version++) {
      const first = profileCode("spread", version)[0]!;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).toBe(36);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150); // ≈ 4.7 sd
  });

  it("validates its inputs", () => {
    expect(() => profileCode("u", -1)).toThrow(RangeError);
    expect(() => profileCode("u", 1.5)).toThrow(RangeError);
    expect(() => profileCode("u", 1, -1)).toThrow(RangeError);
  });

  it("recognises codes", () => {
    expect(isProfileCode(profileCode("u", 3))).toBe(true);
    expect(isProfileCode("ABCDEFGH")).toBe(false);
    expect(isProfileCode("abc")).toBe(false);
    expect(isProfileCode("abcdefgh1")).toBe(false);
  });
});

describe("blendProfiles", () => {
  it("returns a single profile unchanged, and a profile blended with itself is that profile", () => {
    expect(blendProfiles([[1, -2, 3]])).toEqual([1, -2, 3]);
    blendProfiles([
      [1, -2, 3],
      [1, -2, 3],
    ]).forEach((value, i) => expect(value).toBeCloseTo([1, -2, 3][i]!, 12));
  });

  it("gives each profile an equal say in direction regardless of its strength", () => {
    // A weak and a strong profile on orthogonal axes: the blend points half-way.
    const blend = blendProfiles([
      [0.1, 0],
      [0, 10],
    ]);
    expect(blend[0]).toBeCloseTo(blend[1]!, 12);
    // Strength = mean strength times the length of the mean direction (√½ here).
    expect(Math.hypot(blend[0]!, blend[1]!)).toBeCloseTo(5.05 * Math.SQRT1_2, 12);
  });

  it("honours coefficients (`--p a::2 b::1`)", () => {
    const blend = blendProfiles(
      [
        [1, 0],
        [0, 1],
      ],
      [2, 1],
    );
    expect(blend[0]! / blend[1]!).toBeCloseTo(2, 12);
    expect(cosine(blend, [2, 1])).toBeCloseTo(1, 12);
  });

  it("cancels opposite tastes instead of inventing a direction", () => {
    expect(
      blendProfiles([
        [1, 2],
        [-2, -4],
      ]),
    ).toEqual([0, 0]);
  });

  it("rejects empty or mismatched input", () => {
    expect(() => blendProfiles([])).toThrow(RangeError);
    expect(() => blendProfiles([[1], [1, 2]])).toThrow(RangeError);
    expect(() => blendProfiles([[1], [2]], [1])).toThrow(RangeError);
    expect(() => blendProfiles([[1], [2]], [0, 0])).toThrow(RangeError);
    expect(() => blendProfiles([[1], [2]], [1, -1])).toThrow(RangeError);
  });
});
