import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";

describe("AppError", () => {
  it("is recognised across copies of its module (Next.js bundles one per layer)", () => {
    const own = new AppError("RATE_LIMITED", "Too many uploads");
    expect(own).toBeInstanceOf(AppError);
    expect(own).toBeInstanceOf(Error);
    // What another bundled copy of the class makes: a different class with the same mark.
    const foreign = Object.assign(new Error("Too many uploads"), { [Symbol.for("mirage.AppError")]: true, code: "RATE_LIMITED" });
    expect(foreign instanceof AppError).toBe(true);
    expect(new Error("plain") instanceof AppError).toBe(false);
    expect(AppError[Symbol.hasInstance](null)).toBe(false);
  });
});
