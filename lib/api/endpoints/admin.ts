import { ZIdParam } from "@/lib/schemas/account";
import { ZAdminUser, ZAdminUserList, ZStudioSettings, ZUpdateSettingsRequest, ZUpdateUserRequest } from "@/lib/schemas/admin";
import { ZCapacityEstimate } from "@/lib/schemas/capacity";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZPoolRequest, ZPoolStatus } from "@/lib/schemas/personalization";
import { ZAdminUsage, ZAdminUsageQuery, ZGrantRequest, ZPlan, ZPlanList, ZUpdatePlanRequest, ZUsage } from "@/lib/schemas/usage";
import { defineEndpoint } from "../contract";

export const listUsers = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/users",
  access: "admin",
  summary: "All users (admin)",
  responses: { 200: { schema: ZAdminUserList, description: "Users" } },
});

export const updateUser = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/users/{id}",
  access: "admin",
  summary: "Change a user's role or plan (admin)",
  params: ZIdParam,
  body: ZUpdateUserRequest,
  responses: { 200: { schema: ZAdminUser, description: "The updated user" }, 404: { schema: ZErrorResponse, description: "No such user" } },
});

export const grantFastTime = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/users/{id}/grant",
  access: "admin",
  summary: "Grant extra fast hours this period (admin)",
  params: ZIdParam,
  body: ZGrantRequest,
  responses: { 200: { schema: ZUsage, description: "The user's usage after the grant" }, 404: { schema: ZErrorResponse, description: "No such user" } },
});

export const getStudioSettings = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/settings",
  access: "admin",
  summary: "Studio settings (admin)",
  responses: { 200: { schema: ZStudioSettings, description: "Settings" } },
});

export const updateStudioSettings = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/settings",
  access: "admin",
  summary: "Change studio settings (admin)",
  body: ZUpdateSettingsRequest,
  responses: { 200: { schema: ZStudioSettings, description: "Settings after the change" } },
});

export const listPlans = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/plans",
  access: "admin",
  summary: "Plans (admin)",
  responses: { 200: { schema: ZPlanList, description: "Plans" } },
});

export const updatePlan = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/plans/{id}",
  access: "admin",
  summary: "Change a plan (admin); fast hours apply from each user's next period",
  params: ZIdParam,
  body: ZUpdatePlanRequest,
  responses: { 200: { schema: ZPlan, description: "The plan" }, 404: { schema: ZErrorResponse, description: "No such plan" } },
});

export const adminCapacity = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/capacity",
  access: "admin",
  summary: "How many GPUs the last 7 days' traffic needs to keep Fast p95 under 30 s, by simulation (admin)",
  responses: { 200: { schema: ZCapacityEstimate, description: "The estimate and the mix it was made from" } },
});

export const adminUsage = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/usage",
  access: "admin",
  summary: "GPU time and charges by user, day, mode or job type (admin; `format=csv` for CSV)",
  query: ZAdminUsageQuery,
  responses: { 200: { schema: ZAdminUsage, description: "Usage rows" } },
});

export const renderPool = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/personalization/pool",
  access: "admin",
  summary: "Render (or re-render) a model's ranking pool (admin)",
  body: ZPoolRequest,
  responses: { 202: { schema: ZPoolStatus, description: "Queued (false when a render is already queued)" } },
});
