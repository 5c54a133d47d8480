import { ZErrorResponse } from "@/lib/schemas/common";
import {
  ZAddTeamMemberRequest,
  ZCreateTeamRequest,
  ZTeamDetail,
  ZTeamGrantRequest,
  ZTeamList,
  ZTeamMember,
  ZTeamMemberParams,
  ZTeamParams,
  ZTeamPolicyRequest,
  ZUpdateTeamMemberRequest,
  ZUpdateTeamRequest,
} from "@/lib/schemas/teams";
import { z } from "zod";
import { defineEndpoint } from "../contract";

/**
 * Team management (docs/teams.md, Managing teams). Everything is for admins,
 * except the member routes: a team's owner may add, remove and re-role its
 * members too, so those are open to signed-in users and the server checks
 * per request that the caller is an admin or an owner of that team.
 */

const ZTeamMembers = z.object({ members: z.array(ZTeamMember) }).meta({ id: "TeamMembers" });
const NOT_FOUND = { schema: ZErrorResponse, description: "No such team" } as const;

export const listTeams = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/teams",
  access: "admin",
  summary: "Teams with member counts, plans and pool figures for this period (admin)",
  responses: { 200: { schema: ZTeamList, description: "Teams, by name" } },
});

export const createTeam = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/teams",
  access: "admin",
  summary: "Create a team, optionally on a plan whose fast time its pool gets (admin)",
  body: ZCreateTeamRequest,
  responses: { 201: { schema: ZTeamDetail, description: "The new team" }, 409: { schema: ZErrorResponse, description: "A team with that name exists" } },
});

export const getTeam = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/teams/{id}",
  access: "admin",
  summary: "A team with its members, pool and policy terms (admin)",
  params: ZTeamParams,
  responses: { 200: { schema: ZTeamDetail, description: "The team" }, 404: NOT_FOUND },
});

export const updateTeam = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/teams/{id}",
  access: "admin",
  summary: "Rename a team, or set or clear its plan (admin)",
  description: "A plan with more fast time raises the pool at once; less applies from the next monthly period.",
  params: ZTeamParams,
  body: ZUpdateTeamRequest,
  responses: { 200: { schema: ZTeamDetail, description: "The team after the change" }, 404: NOT_FOUND, 409: { schema: ZErrorResponse, description: "A team with that name exists" } },
});

export const deleteTeam = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/admin/teams/{id}",
  access: "admin",
  summary: "Delete a team: memberships, pool, styles, team folders and its policy terms (admin)",
  params: ZTeamParams,
  responses: {
    204: { description: "Deleted" },
    404: NOT_FOUND,
    409: { schema: ZErrorResponse, description: "Jobs held on the team's pool are still queued or running" },
  },
});

export const addTeamMember = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/teams/{id}/members",
  access: "user",
  summary: "Add a user to a team by email (admin, or an owner of the team)",
  params: ZTeamParams,
  body: ZAddTeamMemberRequest,
  responses: {
    201: { schema: ZTeamMembers, description: "The team's members after the change" },
    403: { schema: ZErrorResponse, description: "Not an admin or an owner of this team" },
    404: { schema: ZErrorResponse, description: "No such team, or no account with that email" },
    409: { schema: ZErrorResponse, description: "The user is already in this or another team (named)" },
  },
});

export const updateTeamMember = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/teams/{id}/members/{userId}",
  access: "user",
  summary: "Make a member an owner or a plain member (admin, or an owner of the team)",
  params: ZTeamMemberParams,
  body: ZUpdateTeamMemberRequest,
  responses: {
    200: { schema: ZTeamMembers, description: "The team's members after the change" },
    403: { schema: ZErrorResponse, description: "Not an admin or an owner of this team, or an owner changing their own role" },
    404: { schema: ZErrorResponse, description: "No such team, or the user is not in it" },
  },
});

export const removeTeamMember = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/admin/teams/{id}/members/{userId}",
  access: "user",
  summary: "Remove a member from a team (admin, or an owner of the team)",
  params: ZTeamMemberParams,
  responses: {
    204: { description: "Removed" },
    403: { schema: ZErrorResponse, description: "Not an admin or an owner of this team, or an owner removing themselves" },
    404: { schema: ZErrorResponse, description: "No such team, or the user is not in it" },
  },
});

export const grantTeamFastTime = defineEndpoint({
  method: "POST",
  path: "/api/v1/admin/teams/{id}/grant",
  access: "admin",
  summary: "Grant extra fast hours to a team's pool this period (admin)",
  params: ZTeamParams,
  body: ZTeamGrantRequest,
  responses: { 200: { schema: ZTeamDetail, description: "The team after the grant" }, 404: NOT_FOUND, 409: { schema: ZErrorResponse, description: "The team has no plan, so no pool" } },
});

export const updateTeamPolicy = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/teams/{id}/policy",
  access: "admin",
  summary: "Replace a team's own blocked words and phrases (admin)",
  description: "Checked with the studio's policy for the team's members only; a refusal names the team's policy.",
  params: ZTeamParams,
  body: ZTeamPolicyRequest,
  responses: { 200: { schema: ZTeamDetail, description: "The team after the change" }, 404: NOT_FOUND },
});
