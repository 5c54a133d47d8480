import { ZCreatedToken, ZCreateTokenRequest, ZIdParam, ZMe, ZTokenList } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZUsage, ZUsageSettingsRequest } from "@/lib/schemas/usage";
import { defineEndpoint } from "../contract";

export const getMe = defineEndpoint({
  method: "GET",
  path: "/api/v1/me",
  access: "user",
  summary: "The signed-in user",
  responses: { 200: { schema: ZMe, description: "Who is asking" } },
});

export const getMyUsage = defineEndpoint({
  method: "GET",
  path: "/api/v1/me/usage",
  access: "user",
  summary: "Your plan, period and fast/relax usage",
  responses: { 200: { schema: ZUsage, description: "Usage this period" } },
});

export const updateMySettings = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/me/settings",
  access: "user",
  summary: "Your settings: automatic Relax and Create's settings panel",
  body: ZUsageSettingsRequest,
  responses: {
    200: { schema: ZUsage, description: "Usage with the new settings" },
    403: { schema: ZErrorResponse, description: "Automatic Relax asked for on a plan without Relax" },
  },
});

export const listTokens = defineEndpoint({
  method: "GET",
  path: "/api/v1/tokens",
  access: "user",
  summary: "List your API tokens",
  responses: { 200: { schema: ZTokenList, description: "Active tokens (secrets are never shown again)" } },
});

export const createToken = defineEndpoint({
  method: "POST",
  path: "/api/v1/tokens",
  access: "user",
  summary: "Create an API token",
  body: ZCreateTokenRequest,
  responses: { 201: { schema: ZCreatedToken, description: "The token; copy the secret now" } },
});

export const revokeToken = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/tokens/{id}",
  access: "user",
  summary: "Revoke one of your API tokens",
  params: ZIdParam,
  responses: { 204: { description: "Revoked" }, 404: { schema: ZErrorResponse, description: "No such token" } },
});
