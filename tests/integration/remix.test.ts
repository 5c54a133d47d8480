import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZJobParams } from "@/lib/jobs/registry";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { seedFixtureImage } from "../support/seed-image";

/**
 * Remix over real HTTP (docs/editor.md §8): Vary with a prompt replaces the
 * words and --no and keeps the rest; without one it keeps the image's; a
 * prompt that does not parse is a 400 naming it. The Remix switch is saved
 * with Create's settings, and settings saved before it existed still load.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-remix`;
let server: RouteServer;
let storageDir = "";
let owner: { id: string; token: string };

function api(route: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  return fetch(`${server.url}${route}`, {
    ...rest,
    ...(json !== undefined && { body: JSON.stringify(json) }),
    headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "application/json", ...rest.headers },
  });
}

async function jobOf(response: Response) {
  expect(response.status, await response.clone().text()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const job = await db.job.findUniqueOrThrow({ where: { id }, select: { prompt: true, recipe: true, params: true, parentImageId: true } });
  return { ...job, params: ZJobParams.parse(job.params), recipe: job.recipe as Record<string, unknown> };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-remix-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  const seeded = await seedUser(db);
  owner = { id: seeded.id, token: (await createApiToken(db, seeded.id, "remix")).token };
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("Remix", () => {
  it("Vary with a prompt uses its words and --no; without one, the image's", async () => {
    const image = await seedFixtureImage(db, owner.id, "a red square --no blue --ar 16:9");
    const remixed = await jobOf(await api(`/api/v1/images/${image}/vary`, { method: "POST", json: { strength: "strong", prompt: "a green circle --no grey" } }));
    expect(remixed).toMatchObject({ prompt: "a green circle", parentImageId: image, params: { kind: "vary", prompt: "a green circle", negativePrompt: "grey", strength: "strong" } });
    // The rest of the recipe is the image's.
    expect(remixed.recipe).toMatchObject({ prompt: "a green circle", negativePrompt: "grey", aspectRatio: { width: 16, height: 9 } });

    const plain = await jobOf(await api(`/api/v1/images/${image}/vary`, { method: "POST", json: { strength: "subtle" } }));
    expect(plain).toMatchObject({ prompt: "a red square", params: { prompt: "a red square", negativePrompt: "blue" } });
  });

  it("refuses a Remix prompt that does not parse with a 400 naming the problem", async () => {
    const image = await seedFixtureImage(db, owner.id);
    const response = await api(`/api/v1/images/${image}/vary`, { method: "POST", json: { strength: "subtle", prompt: "a cat --chaos 250" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/--chaos/);
  });

  it("saves the switch with Create's settings; settings without it still load, as off", async () => {
    const panel = { aspect: "1:1", stylize: 100, chaos: 0, mode: "fast", draft: false, model: null };
    expect((await api("/api/v1/me/settings", { method: "PATCH", json: { create: { ...panel, remix: true } } })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id }, select: { createSettings: true } })).createSettings).toMatchObject({ remix: true });
    expect((await api("/api/v1/me/settings", { method: "PATCH", json: { create: panel } })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id }, select: { createSettings: true } })).createSettings).toMatchObject({ remix: false });
    expect((await api("/api/v1/me/settings", { method: "PATCH", json: { create: { ...panel, remix: "yes" } } })).status).toBe(400);
  });
});
