import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";

describe("migrations", () => {
  it("apply once: a second run applies nothing", async () => {
    // global-setup already applied them to this run's database.
    expect(await applyMigrations(inject("databaseUrl"))).toEqual([]);
  });
});
