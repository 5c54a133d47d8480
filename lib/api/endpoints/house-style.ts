import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { z } from "zod";
import { ZAdjustHouseStyleRequest, ZHouseStyle, ZHouseStyleQuery, ZHouseStyleVersion, ZPinHouseStyleRequest, ZPoolHouseStyleRequest } from "@/lib/schemas/house-style";
import { defineEndpoint } from "../contract";

// A team's house style (docs/teams.md, House style). Access is "user" because the team's owner may manage it as
// well as an admin; the server functions answer 403 to everyone else.

const WHO = "Admins, and the owner of that team; anyone else gets 403.";

export const getHouseStyle = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/teams/{id}/style",
  access: "user",
  summary: "A team's house style: the model's named axes, its versions and the pinned one",
  description: WHO,
  params: ZIdParam,
  query: ZHouseStyleQuery,
  responses: {
    200: { schema: ZHouseStyle, description: "The house style for the model asked for" },
    404: { schema: ZErrorResponse, description: "No such team" },
  },
});

export const poolHouseStyle = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/teams/{id}/style/pool",
  access: "user",
  summary: "Pool the members' latest profiles and moodboards for a model into a new house style version",
  description: `Each member with a profile or moodboards for the model counts once (their sources averaged), so no member dominates. ${WHO}`,
  params: ZIdParam,
  body: ZPoolHouseStyleRequest,
  responses: {
    201: { schema: ZHouseStyleVersion, description: "The new version" },
    400: { schema: ZErrorResponse, description: "No member has a profile or a moodboard for the model, or no such model" },
    404: { schema: ZErrorResponse, description: "No such team" },
  },
});

export const adjustHouseStyle = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/teams/{id}/style/versions",
  access: "user",
  summary: "Save adjusted slider values (one per style axis, each in [-1, 1]) as a new house style version",
  description: WHO,
  params: ZIdParam,
  body: ZAdjustHouseStyleRequest,
  responses: {
    201: { schema: ZHouseStyleVersion, description: "The new version" },
    400: { schema: ZErrorResponse, description: "Not one value per axis of the model, or the starting version is for another model" },
    404: { schema: ZErrorResponse, description: "No such team, or no such starting version in it" },
  },
});

export const pinHouseStyle = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/teams/{id}/style",
  access: "user",
  summary: "Pin one of the team's house style versions as its members' --p, or unpin with null",
  description: WHO,
  params: ZIdParam,
  body: ZPinHouseStyleRequest,
  responses: {
    200: { schema: z.object({ pinned: ZHouseStyleVersion.nullable() }), description: "The pinned version, or null" },
    404: { schema: ZErrorResponse, description: "No such team, or no such version in it" },
  },
});
