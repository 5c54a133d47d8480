import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZCreatedJobs, ZCreateJobRequest, ZJobList, ZJobListQuery, ZJobView, ZModelList, ZRerunRequest } from "@/lib/schemas/jobs";
import { ZEstimate, ZEstimateRequest } from "@/lib/schemas/usage";
import { defineEndpoint } from "../contract";

export const submitJob = defineEndpoint({
  method: "POST",
  path: "/api/v1/jobs",
  access: "user",
  summary: "Submit a prompt",
  description:
    "The prompt may carry Midjourney-style parameters (--ar, --s, --chaos, --seed, --no, --r, --draft, --p, --iw, --raw, --turbo/--fast/--relax, --v 7). An invalid one gives 400 naming the parameter and its allowed range. `imagePrompt` starts the grid from an upload or one of your images; --iw (0–3) sets how much it counts.",
  body: ZCreateJobRequest,
  responses: {
    202: { schema: ZCreatedJobs, description: "Queued (with --r N, `jobIds` lists all N jobs)" },
    404: { schema: ZErrorResponse, description: "`imagePrompt` names no upload or image of yours" },
    402: { schema: ZErrorResponse, description: "Not enough fast time left for it (use --relax, or ask an admin)" },
    429: { schema: ZErrorResponse, description: "The plan's cap on jobs in progress is reached, or more than 60 submissions a minute; see Retry-After" },
  },
});

export const listJobs = defineEndpoint({
  method: "GET",
  path: "/api/v1/jobs",
  access: "user",
  summary: "Your jobs, newest first",
  query: ZJobListQuery,
  responses: { 200: { schema: ZJobList, description: "A page of jobs" } },
});

export const estimateJob = defineEndpoint({
  method: "POST",
  path: "/api/v1/jobs/estimate",
  access: "user",
  summary: "Estimate what a prompt would cost",
  body: ZEstimateRequest,
  responses: {
    200: { schema: ZEstimate, description: "GPU time, multiplier and the fast time it would reserve" },
    404: { schema: ZErrorResponse, description: "`imagePrompt` names no upload or image of yours" },
  },
});

export const getJob = defineEndpoint({
  method: "GET",
  path: "/api/v1/jobs/{id}",
  access: "user",
  summary: "One of your jobs",
  params: ZIdParam,
  responses: { 200: { schema: ZJobView, description: "The job and its images" }, 404: { schema: ZErrorResponse, description: "No such job" } },
});

export const jobEvents = defineEndpoint({
  method: "GET",
  path: "/api/v1/jobs/{id}/events",
  access: "user",
  summary: "Live progress (Server-Sent Events)",
  description:
    "`event: job` carries a Job snapshot (first, and whenever the job changes state); `event: progress` carries `{ fraction, stage }`; `event: preview` carries `{ fraction, images }` (small WebP data URLs of the images forming, when the worker sends live previews); `event: queue` carries `{ ahead }` (jobs that start before this one) while it waits. The stream ends when the job completes, fails or is cancelled.",
  params: ZIdParam,
  responses: { 200: { description: "text/event-stream" }, 404: { schema: ZErrorResponse, description: "No such job" } },
});

export const cancelJob = defineEndpoint({
  method: "POST",
  path: "/api/v1/jobs/{id}/cancel",
  access: "user",
  summary: "Cancel a queued or running job",
  params: ZIdParam,
  responses: {
    200: { schema: ZJobView, description: "The cancelled job" },
    404: { schema: ZErrorResponse, description: "No such job" },
    409: { schema: ZErrorResponse, description: "Already finished" },
  },
});

export const rerunJob = defineEndpoint({
  method: "POST",
  path: "/api/v1/jobs/{id}/rerun",
  access: "user",
  summary: "Rerun a job: same recipe, new seeds (or the same seeds with `exact`)",
  params: ZIdParam,
  body: ZRerunRequest,
  responses: {
    202: { schema: ZJobView, description: "The new job" },
    404: { schema: ZErrorResponse, description: "No such job, or its image prompt was deleted" },
  },
});

export const listModels = defineEndpoint({
  method: "GET",
  path: "/api/v1/models",
  access: "user",
  summary: "Installed models",
  responses: { 200: { schema: ZModelList, description: "Models, with the workers online for each" } },
});
