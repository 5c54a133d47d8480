import { z } from "zod";
import { safeText, ZId, ZSafeString } from "./common";
import { ZPolicyTerm, MAX_POLICY_TERMS } from "./moderation";
import { ZPlanName } from "./plans";

/** Team management (docs/teams.md, Managing teams): admins run teams; a team's owners run its members. */

export const ZTeamRole = z.enum(["owner", "member"]);
export type TTeamRole = z.infer<typeof ZTeamRole>;

export const ZTeamName = safeText("name", 80);

export const ZTeamParams = z.object({ id: ZId });
export const ZTeamMemberParams = z.object({ id: ZId, userId: ZId });

/** The pool's figures for the current period (credit-milliseconds, like a user's usage). */
export const ZTeamPool = z
  .object({
    periodStart: z.iso.datetime(),
    periodEnd: z.iso.datetime(),
    allowanceMs: z.number().int(),
    grantedMs: z.number().int(),
    heldMs: z.number().int(),
    usedMs: z.number().int(),
    remainingMs: z.number().int(),
  })
  .meta({ id: "TeamPool" });
export type TTeamPool = z.infer<typeof ZTeamPool>;

export const ZTeamSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string().nullable().meta({ description: "The plan whose fast time the pool gets each month; null = no pool" }),
    memberCount: z.number().int(),
    pool: ZTeamPool.nullable().meta({ description: "Null when the team has no plan (members use their own time)" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TeamSummary" });
export type TTeamSummary = z.infer<typeof ZTeamSummary>;

export const ZTeamList = z.object({ teams: z.array(ZTeamSummary) }).meta({ id: "TeamList" });
export type TTeamList = z.infer<typeof ZTeamList>;

export const ZTeamMember = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: ZTeamRole, addedAt: z.iso.datetime() })
  .meta({ id: "TeamMember" });
export type TTeamMember = z.infer<typeof ZTeamMember>;

export const ZTeamDetail = ZTeamSummary.extend({
  members: z.array(ZTeamMember),
  policy: z.object({ terms: z.array(z.string()), updatedAt: z.iso.datetime().nullable() }).meta({ description: "The team's own blocked terms, checked with the studio's" }),
}).meta({ id: "TeamDetail" });
export type TTeamDetail = z.infer<typeof ZTeamDetail>;

/** What Account shows a member: their team, their role and the pool; the member list for owners only. */
export interface TMyTeam {
  team: TTeamSummary;
  role: TTeamRole;
  members: TTeamMember[] | null;
}

export const ZCreateTeamRequest = z.strictObject({
  name: ZTeamName,
  plan: ZPlanName.nullable().optional().meta({ description: "A plan's name; absent or null = no pool" }),
});

export const ZUpdateTeamRequest = z
  .strictObject({ name: ZTeamName.optional(), plan: ZPlanName.nullable().optional().meta({ description: "A plan's name, or null to clear it" }) })
  .refine((body) => body.name !== undefined || body.plan !== undefined, { error: "give name and/or plan" });

export const ZAddTeamMemberRequest = z.strictObject({
  email: safeText("email", 320).pipe(z.email({ error: "email must be an email address" })),
  role: ZTeamRole.default("member"),
});

export const ZUpdateTeamMemberRequest = z.strictObject({ role: ZTeamRole });

export const ZTeamGrantRequest = z.strictObject({
  // As a user's grant: fast time is kept in milliseconds, so less than a second would round to nothing.
  hours: z.number().min(1 / 3600, { error: "hours must be at least one second (1/3600 ≈ 0.00028)" }).max(1000, { error: "hours must be at most 1000" }),
  note: ZSafeString.max(200).optional(),
});

export const ZTeamPolicyRequest = z.strictObject({
  terms: z.array(ZPolicyTerm).max(MAX_POLICY_TERMS, { error: `at most ${MAX_POLICY_TERMS} terms` }),
});
