import { describe, expect, it } from "vitest";
import { serialisePerUser } from "@/lib/server/jobs/per-user-queue";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("serialisePerUser", () => {
  it("runs one user's work in order, one at a time, and other users' alongside", async () => {
    const events: string[] = [];
    const task = (user: string, name: string, ms: number) =>
      serialisePerUser(user, async () => {
        events.push(`${name}:start`);
        await sleep(ms);
        events.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([task("a", "a1", 30), task("a", "a2", 1), task("b", "b1", 1)]);
    expect(results).toEqual(["a1", "a2", "b1"]);
    expect(events.indexOf("a2:start")).toBeGreaterThan(events.indexOf("a1:end"));
    expect(events.indexOf("b1:end")).toBeLessThan(events.indexOf("a1:end"));
  });

  it("keeps going after a failure", async () => {
    const failing = serialisePerUser("c", () => Promise.reject(new Error("boom")));
    const next = serialisePerUser("c", () => Promise.resolve("ok"));
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ok");
  });
});
