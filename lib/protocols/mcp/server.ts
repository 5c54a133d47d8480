import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ZGalleryQuery } from "@/lib/schemas/gallery";
import { listImages } from "@/lib/server/gallery/list-images";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { ZEditRequest } from "@/lib/schemas/editor";
import { createUpscaleJob, createVaryJob } from "@/lib/server/jobs/derive-jobs";
import { createImageEditJob } from "@/lib/server/jobs/edit-jobs";
import { getDescribeContext } from "@/lib/server/describe/describe-context";
import { describeImage } from "@/lib/server/describe/describe-image";
import { estimatePrompt } from "@/lib/server/jobs/estimate-prompt";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import type { ProtocolContext } from "../context";
import { readPng } from "../image-files";
import { JobWaitError, waitForJobs, type FinishedImage } from "../wait-for-jobs";

/**
 * The MCP server: Mirage's use cases as tools for LLM agents, one server per
 * request (stateless Streamable HTTP) bound to the caller's token. Every tool
 * that makes images submits through the same services as the web (limits,
 * estimate, hold, charge, gallery), waits for the jobs (bounded) and answers
 * with the PNGs as image content plus the job and image ids as text. Errors a
 * person can act on (no fast time, a bad prompt, a limit) are tool errors
 * with Mirage's own message, so the agent can relay or fix them.
 */

const prompt = z.string().min(1).max(6000).describe("A Mirage prompt: the description, then any parameters (--ar 16:9, --s 250, --seed 42, --no …, --draft, --relax).");
const imageId = z.string().min(1).max(100).describe("An image id from imagine, vary, list_images or get_job.");
const jobId = z.string().min(1).max(100).describe("A job id from imagine, vary or upscale.");

function text(value: unknown): { type: "text"; text: string } {
  return { type: "text", text: typeof value === "string" ? value : JSON.stringify(value, null, 2) };
}

async function imagesResult(web: ProtocolContext, summary: Record<string, unknown>, images: FinishedImage[]): Promise<CallToolResult> {
  const pngs = await Promise.all(images.map(async (image) => ({ type: "image" as const, data: (await readPng(web.storage, image.storageKey)).toString("base64"), mimeType: "image/png" })));
  return {
    content: [
      text({ ...summary, images: images.map((image) => ({ id: image.id, seed: Number(image.seed), width: image.width, height: image.height })) }),
      ...pngs,
    ],
  };
}

/** Waits for jobs; a job still running after the bound is not an error: the agent can ask get_job later. */
async function finishJobs(web: ProtocolContext, principal: Principal, jobIds: string[], signal: AbortSignal): Promise<CallToolResult> {
  try {
    const finished = await waitForJobs(web, principal.userId, jobIds, { signal });
    return imagesResult(web, { jobIds }, finished.flatMap((job) => job.images));
  } catch (error) {
    if (error instanceof JobWaitError && error.reason === "timeout") return { content: [text({ jobIds, status: "running", message: `${error.message} Call get_job with a job id to fetch the images.` })] };
    throw error;
  }
}

/** Runs a tool; Mirage's own refusals become tool errors the agent can read. */
async function tool(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) {
      const relax = error.code === "INSUFFICIENT_FAST_TIME" ? " To run without fast time, add --relax at the end of the imagine prompt (Relax mode: free, slower, if your plan has it)." : "";
      return { isError: true, content: [text(`${error.message}${relax}`)] };
    }
    if (error instanceof JobWaitError) return { isError: true, content: [text(error.message)] };
    throw error;
  }
}

export function createMcpServer(web: ProtocolContext, principal: Principal): McpServer {
  const server = new McpServer({ name: "mirage", version: "1.0.0" }, { instructions: "Mirage, a self-hosted image studio. imagine makes a grid of four images from a prompt; vary, upscale and edit (zoom out, pan, make square, repaint a region) work on an image id; describe suggests prompts for an image; every job uses the caller's fast time (see estimate_cost) unless the prompt says --relax." });

  server.registerTool(
    "imagine",
    {
      title: "Imagine",
      description: "Make a grid of four images from a prompt (Midjourney-style parameters allowed) and return them as PNGs with their ids. Waits up to two minutes.",
      inputSchema: { prompt, model: z.string().max(100).optional().describe("A model id; the studio's default when absent.") },
    },
    ({ prompt: promptText, model }, extra) =>
      tool(async () => {
        const view = await createImagineJobs(web.jobs, principal, { prompt: promptText, ...(model && { model }) });
        return finishJobs(web, principal, view.jobIds, extra.signal);
      }),
  );

  server.registerTool(
    "vary",
    {
      title: "Vary",
      description: "Four variations of one of your images: subtle keeps the composition, strong changes more.",
      inputSchema: { image_id: imageId, strength: z.enum(["subtle", "strong"]).default("subtle") },
    },
    ({ image_id, strength }, extra) =>
      tool(async () => finishJobs(web, principal, [(await createVaryJob(web.jobs, principal, image_id, strength)).id], extra.signal)),
  );

  server.registerTool(
    "upscale",
    {
      title: "Upscale",
      description: "One of your images at twice the width and height: subtle stays faithful, creative adds detail.",
      inputSchema: { image_id: imageId, mode: z.enum(["subtle", "creative"]).default("subtle") },
    },
    ({ image_id, mode }, extra) =>
      tool(async () => finishJobs(web, principal, [(await createUpscaleJob(web.jobs, principal, image_id, mode)).id], extra.signal)),
  );

  server.registerTool(
    "edit",
    {
      title: "Edit",
      description:
        "The Editor on one of your images, four results: zoom (zoom out by factor 1–2, the surround generated), pan (extend left/right/up/down), square (grow the short side), or region (repaint where a mask PNG is white). prompt, when given, replaces the image's prompt (Remix).",
      inputSchema: {
        image_id: imageId,
        kind: z.enum(["zoom", "pan", "square", "region"]),
        factor: z.number().min(1).max(2).optional().describe("zoom: how far to zoom out (1.5 and 2 are Midjourney's buttons)."),
        direction: z.enum(["left", "right", "up", "down"]).optional().describe("pan: which side grows."),
        mask: z.string().max(20_000_000).optional().describe("region: a base64 PNG the size of the image, white = repaint."),
        prompt: z.string().max(6000).optional().describe("Remix: a new prompt for the edit; the image's own prompt when absent."),
      },
    },
    ({ image_id, kind, factor, direction, mask, prompt: remix }, extra) =>
      tool(async () => {
        // The same body, and so the same rules and messages, as POST /api/v1/images/{id}/edit.
        const body = ZEditRequest.safeParse({ kind, ...(factor !== undefined && { factor }), ...(direction && { direction }), ...(mask && { mask }), ...(remix && { prompt: remix }) });
        if (!body.success) {
          const issue = body.error.issues[0];
          throw new AppError("BAD_REQUEST", `The ${kind} edit needs ${issue?.path.join(".") || "other arguments"}: ${issue?.message ?? "invalid arguments"}.`);
        }
        const job = await createImageEditJob({ ...web.jobs, storage: web.storage }, principal, image_id, body.data);
        return finishJobs(web, principal, [job.id], extra.signal);
      }),
  );

  server.registerTool(
    "describe",
    {
      title: "Describe",
      description: "Four prompts that would make something like one of your images, best first (Describe; not charged). Feed one to imagine.",
      inputSchema: { image_id: imageId, model: z.string().max(100).optional().describe("Whose prompt language to write in; the studio's default model when absent.") },
    },
    ({ image_id, model }) =>
      tool(async () => {
        const described = await describeImage(getDescribeContext(), principal.userId, { imageId: image_id, ...(model && { model }) });
        return { content: [text(described)] };
      }),
  );

  server.registerTool(
    "get_job",
    {
      title: "Get job",
      description: "A job's status, recipe and charge; the images as PNGs once it has completed.",
      inputSchema: { job_id: jobId },
    },
    ({ job_id }) =>
      tool(async () => {
        const job = await getJobForUser(web.db, principal.userId, job_id);
        if (job.status !== "completed") return { content: [text(job)] };
        const images = await web.db.image.findMany({ where: { jobId: job.id, userId: principal.userId, deletedAt: null }, orderBy: { index: "asc" }, select: { id: true, index: true, seed: true, width: true, height: true, storageKey: true } });
        return imagesResult(web, { job }, images);
      }),
  );

  server.registerTool(
    "list_images",
    {
      title: "List images",
      description: "Your images, newest first, optionally filtered by words in their prompt (ids, prompts, sizes; no pixels).",
      inputSchema: { query: z.string().max(200).optional().describe("Words to search for in the prompts."), limit: z.number().int().min(1).max(50).default(20) },
    },
    ({ query, limit }) =>
      tool(async () => {
        const page = await listImages(web.db, principal.userId, ZGalleryQuery.parse({ ...(query && { q: query }), limit }));
        return { content: [text(page.images.map(({ id, jobId, prompt, width, height, seed, model, createdAt }) => ({ id, jobId, prompt, width, height, seed, model, createdAt })))] };
      }),
  );

  server.registerTool(
    "estimate_cost",
    {
      title: "Estimate cost",
      description: "What a prompt would cost before running it: jobs, mode, estimated GPU milliseconds, the fast time it would reserve and what you have left.",
      inputSchema: { prompt, model: z.string().max(100).optional() },
    },
    ({ prompt: promptText, model }) => tool(async () => ({ content: [text(await estimatePrompt(web.jobs, principal.userId, { prompt: promptText, ...(model && { model }) }))] })),
  );

  return server;
}
