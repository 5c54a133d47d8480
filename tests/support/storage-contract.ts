import { describe, expect, it } from "vitest";
import { readStoredObject, type ObjectStore } from "@/lib/storage";

/**
 * The behaviour every storage driver must have, run against the local driver
 * (unit) and against a real S3-protocol server (integration). `store()` is
 * read lazily, so a suite can create the store in `beforeAll`.
 */
export function describeStoreContract(name: string, store: () => ObjectStore): void {
  describe(`${name}: storage driver contract`, () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const read = async (key: string) => {
      const object = await store().get(key);
      return object ? (await readStoredObject(object)).toString("utf8") : null;
    };

    it("puts, gets with its size, overwrites, and reports existence", async () => {
      await store().put("u1/j1/0.png", bytes("first"), "image/png");
      expect(await store().exists("u1/j1/0.png")).toBe(true);
      const object = await store().get("u1/j1/0.png");
      expect(object?.size).toBe(5);
      expect(await read("u1/j1/0.png")).toBe("first");
      await store().put("u1/j1/0.png", bytes("second!"), "image/png");
      expect(await read("u1/j1/0.png")).toBe("second!");
    });

    it("answers null / false for a missing key, not an error", async () => {
      expect(await store().get("u1/nothing/0.png")).toBeNull();
      expect(await store().exists("u1/nothing/0.png")).toBe(false);
      // A "folder" that exists is still not a file.
      await store().put("u9/j9/0.png", bytes("x"), "image/png");
      expect(await store().get("u9/j9")).toBeNull();
    });

    it("deletes listed keys (missing ones are fine) and leaves the others", async () => {
      await store().put("u2/j2/0.png", bytes("a"), "image/png");
      await store().put("u2/j2/0.thumb.webp", bytes("b"), "image/webp");
      await store().put("u2/j2/1.png", bytes("c"), "image/png");
      await store().deleteKeys(["u2/j2/0.png", "u2/j2/0.thumb.webp", "u2/j2/7.png"]);
      expect(await store().exists("u2/j2/0.png")).toBe(false);
      expect(await store().exists("u2/j2/0.thumb.webp")).toBe(false);
      expect(await read("u2/j2/1.png")).toBe("c");
    });

    it("deletes a prefix and nothing that merely starts with the same letters", async () => {
      await store().put("u3/job/0.png", bytes("a"), "image/png");
      await store().put("u3/job/1.thumb.webp", bytes("b"), "image/webp");
      await store().put("u3/job2/0.png", bytes("keep"), "image/png");
      await store().deletePrefix("u3/job/");
      expect(await store().exists("u3/job/0.png")).toBe(false);
      expect(await store().exists("u3/job/1.thumb.webp")).toBe(false);
      expect(await read("u3/job2/0.png")).toBe("keep");
      await store().deletePrefix("u3/never-existed/");
    });

    it.each(["../escape.png", "u/../../etc/passwd", "/abs.png", "u//0.png", "u/.hidden", "", "u/j/0 1.png", "u\\j.png"])(
      "refuses the key %j",
      async (key) => {
        await expect(store().put(key, bytes("x"), "image/png")).rejects.toThrow(/storage key/);
        await expect(store().get(key)).rejects.toThrow(/storage key/);
      },
    );

    it("refuses a prefix that is not a folder", async () => {
      await expect(store().deletePrefix("u3/job")).rejects.toThrow(/prefix/);
      await expect(store().deletePrefix("../")).rejects.toThrow(/storage key/);
    });
  });
}
