import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lockUsageAccount } from "@/lib/server/accounting/account";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser, testDb } from "../support/db";
import { startProtocolServer, type ProtocolServer } from "../support/protocol-server";
import { FIXTURE_MODEL, startWorker, stopWorker } from "../support/worker-process";

/**
 * The MCP server at /mcp driven by the official MCP SDK client over
 * Streamable HTTP, against the real route module, Postgres, Redis and a
 * worker: what an agent (Claude Desktop, an IDE) configured with a Mirage
 * token does.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-mcp`;
let server: ProtocolServer;
let worker: ChildProcess;
let storageDir = "";
const clients: Client[] = [];

async function connect(token: string | null): Promise<Client> {
  const client = new Client({ name: "mirage-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {});
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function userWithToken() {
  const user = await seedUser(db);
  return { user, token: (await createApiToken(db, user.id, "mcp")).token };
}

type Content = Array<{ type: string; text?: string; data?: string; mimeType?: string }>;

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-mcp-"));
  server = await startProtocolServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startWorker({ prefix, storageDir, workerId: "mcp-test-worker", env: { WORKER_MODELS: FIXTURE_MODEL } });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await stopWorker(worker);
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("MCP server", () => {
  it("refuses a client without a token, or with a wrong one", async () => {
    await expect(connect(null)).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/invalid_token.*Bearer/) });
    await expect(connect("mrg_wrong")).rejects.toMatchObject({ code: 401, message: expect.stringMatching(/invalid or revoked/) });
  });

  it("lists its tools with JSON schemas", async () => {
    const client = await connect((await userWithToken()).token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["describe", "edit", "estimate_cost", "get_job", "imagine", "list_images", "upscale", "vary"]);
    const imagine = tools.find((tool) => tool.name === "imagine")!;
    expect(imagine.inputSchema).toMatchObject({ type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] });
  });

  it("imagines: PNG image content plus job and image ids; the images are in the gallery; get_job and list_images find them", async () => {
    const { user, token } = await userWithToken();
    const client = await connect(token);
    const estimate = await client.callTool({ name: "estimate_cost", arguments: { prompt: "a red kite over hills --ar 16:9" } });
    expect(JSON.parse((estimate.content as Content)[0]!.text!)).toMatchObject({ jobs: 1, mode: "fast" });

    const result = await client.callTool({ name: "imagine", arguments: { prompt: "a red kite over hills --ar 16:9" } });
    expect(result.isError).toBeFalsy();
    const content = result.content as Content;
    const summary = JSON.parse(content[0]!.text!) as { jobIds: string[]; images: Array<{ id: string }> };
    const pngs = content.filter((item) => item.type === "image");
    expect(pngs).toHaveLength(4);
    for (const png of pngs) {
      expect(png.mimeType).toBe("image/png");
      expect(await sharp(Buffer.from(png.data!, "base64")).metadata()).toMatchObject({ format: "png", width: 80, height: 48 });
    }
    const rows = await db.image.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(rows.map((row) => row.id).sort()).toEqual(summary.images.map((image) => image.id).sort());

    const job = await client.callTool({ name: "get_job", arguments: { job_id: summary.jobIds[0] } });
    expect(JSON.parse((job.content as Content)[0]!.text!)).toMatchObject({ job: { status: "completed", prompt: "a red kite over hills", source: "mcp" } });
    const listed = await client.callTool({ name: "list_images", arguments: { query: "kite" } });
    expect((JSON.parse((listed.content as Content)[0]!.text!) as unknown[]).length).toBe(4);

    const vary = await client.callTool({ name: "vary", arguments: { image_id: summary.images[0]!.id } });
    expect((vary.content as Content).filter((item) => item.type === "image")).toHaveLength(4);
    const notMine = await client.callTool({ name: "vary", arguments: { image_id: "00000000-0000-0000-0000-000000000000" } });
    expect(notMine.isError).toBe(true);

    // The Editor as a tool: Make Square on a 16:9 image gives four square results made by an edit job.
    const square = await client.callTool({ name: "edit", arguments: { image_id: summary.images[0]!.id, kind: "square" } });
    expect(square.isError).toBeFalsy();
    const squares = (square.content as Content).filter((item) => item.type === "image");
    expect(squares).toHaveLength(4);
    const squareMeta = await sharp(Buffer.from(squares[0]!.data!, "base64")).metadata();
    expect(squareMeta.width).toBe(squareMeta.height);
    const edited = await db.job.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, select: { type: true, source: true } });
    expect(edited).toEqual({ type: "make-square", source: "mcp" });
    // A region edit without its mask is a tool error that names what is missing, and makes no job.
    const jobsBefore = await db.job.count({ where: { userId: user.id } });
    const noMask = await client.callTool({ name: "edit", arguments: { image_id: summary.images[0]!.id, kind: "region" } });
    expect(noMask.isError).toBe(true);
    expect((noMask.content as Content)[0]!.text).toMatch(/region edit needs/);
    expect(await db.job.count({ where: { userId: user.id } })).toBe(jobsBefore);

    // Describe runs the web's own rules: the fixture model ships no describer and no vision model is
    // set here, so the agent is told why in Mirage's words (mirage-tiny's describer is tested in describe.test.ts).
    const described = await client.callTool({ name: "describe", arguments: { image_id: summary.images[0]!.id } });
    expect(described.isError).toBe(true);
    expect((described.content as Content)[0]!.text).toMatch(/Describe is not available for .* ships no describer/);
  });

  it("without fast time: a tool error that says so and how to use Relax, and no job", async () => {
    const { user, token } = await userWithToken();
    await db.$transaction((tx) => lockUsageAccount(tx, user.id));
    await db.usageAccount.update({ where: { userId: user.id }, data: { allowanceMs: 0n } });
    const client = await connect(token);
    const result = await client.callTool({ name: "imagine", arguments: { prompt: "a grey cloud" } });
    expect(result.isError).toBe(true);
    expect((result.content as Content)[0]!.text).toMatch(/Not enough fast time.*--relax/s);
    expect(await db.job.count({ where: { userId: user.id } })).toBe(0);
  });
});
