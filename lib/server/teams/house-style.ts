import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listModels } from "@/lib/models/catalog";
import { profileCode, styleSteering } from "@/lib/personalization";
import { styleVectorAsWeights } from "@/lib/references/style";
import { HOUSE_STYLE_VERSIONS_SHOWN, ZHouseStyleSources, type TAdjustHouseStyleRequest, type THouseStyle, type THouseStyleSources, type THouseStyleVersion } from "@/lib/schemas/house-style";
import { recordAudit } from "@/lib/server/audit/record";
import { modelStyle } from "@/lib/server/personalization/axes";
import { assertTeamOwnerOrAdmin } from "./authorize";
import { moodboardStyle } from "@/lib/server/references/moodboards";

/**
 * A team's house style (docs/teams.md, "House style"): pooled from the
 * members' latest profiles and moodboards on one model's style axes,
 * adjustable as named sliders, pinned as what a member's `--p` means.
 * Versions are immutable rows of `team_style` with a code in the same space
 * as profile and moodboard codes, so `--p CODE` finds exactly one thing.
 *
 * Who may manage it: an admin, or the owner of that team. The check is here,
 * not in the route, so every caller of these functions gets it.
 */
export interface THouseStyleContext {
  db: Db;
  modelsDir: string;
  defaultModelId: string;
}

/** Who is asking (a Principal's fields these functions read). */
export interface THouseStyleActor {
  userId: string;
  email?: string;
  role: string;
}

const VERSION_SELECT = { id: true, code: true, modelId: true, axes: true, sources: true, createdAt: true, createdById: true } as const;
type TVersionRow = { id: string; code: string; modelId: string; axes: number[]; sources: Prisma.JsonValue; createdAt: Date; createdById: string | null };

/** The team, if the actor may manage its house style; 403 for everyone else (before saying whether the team exists). */
async function manageableTeam(db: Db, actor: THouseStyleActor, teamId: string) {
  await assertTeamOwnerOrAdmin(db, actor, teamId, "manage its house style");
  const team = await db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true, houseStyleId: true } });
  if (!team) throw new AppError("NOT_FOUND", "No such team.");
  return team;
}

/** The model's axes, or a 400 naming the model when it is not installed (a missing folder must not read as a server error). */
async function axesOf(context: THouseStyleContext, modelId: string) {
  const installed = await listModels(context.modelsDir);
  if (!installed.some((model) => model.id === modelId)) {
    throw new AppError("BAD_REQUEST", `No model "${modelId}" is installed; pick one from GET /api/v1/models.`);
  }
  return (await modelStyle(context.modelsDir, modelId)).axes;
}

function sourcesOf(json: Prisma.JsonValue): THouseStyleSources {
  const parsed = ZHouseStyleSources.safeParse(json);
  return parsed.success ? parsed.data : { kind: "pooled", members: 0, profiles: 0, moodboards: 0 };
}

async function toViews(db: Db, rows: readonly TVersionRow[], pinnedId: string | null): Promise<THouseStyleVersion[]> {
  const ids = [...new Set(rows.map((row) => row.createdById).filter((id): id is string => id !== null))];
  const emails = new Map((ids.length > 0 ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : []).map((user) => [user.id, user.email]));
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    model: row.modelId,
    axes: row.axes,
    sources: sourcesOf(row.sources),
    createdBy: row.createdById ? (emails.get(row.createdById) ?? null) : null,
    createdAt: row.createdAt.toISOString(),
    pinned: row.id === pinnedId,
  }));
}

/**
 * Stores a new immutable version with a fresh code: `profileCode` of
 * (team, model, how many versions the team has, attempt), checked against
 * profile and moodboard codes (one shared `--p` space), and retried on the
 * unique index when two saves race.
 */
async function storeVersion(db: Db, teamId: string, modelId: string, axes: number[], sources: THouseStyleSources, createdById: string): Promise<TVersionRow> {
  const count = await db.teamStyle.count({ where: { teamId } });
  for (let attempt = 0; attempt < 8; attempt++) {
    const code = profileCode(`team:${teamId}:${modelId}`, count, attempt);
    const taken = (await db.profileVersion.count({ where: { code } })) + (await db.moodboard.count({ where: { code } }));
    if (taken > 0) continue;
    try {
      return await db.teamStyle.create({ data: { code, teamId, modelId, axes, sources, createdById }, select: VERSION_SELECT });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
  throw new Error("could not find a free house style code");
}

/**
 * A profile's weights as a point on the axes: the steering preference
 * v_k = tanh(ŵ_k / √(1 + π σ_k² / 8)) (docs/personalization.md §9) — exactly
 * where `--p CODE` of that profile pushes each axis. It is the inverse of
 * `styleVectorAsWeights` (s ↦ atanh s) for a profile without uncertainty,
 * and an unsure axis counts less, as it does when generating.
 */
export function profileAxes(weights: readonly number[], covariance: readonly number[]): number[] {
  const k = weights.length;
  const weightSd = weights.map((_, axis) => Math.sqrt(Math.max(0, covariance[axis * k + axis] ?? 0)));
  return styleSteering(weights, weights.map((_, axis) => ({ id: String(axis) })), 0, { weightSd }).preference;
}

function mean(vectors: readonly (readonly number[])[], k: number): number[] {
  return Array.from({ length: k }, (_, axis) => vectors.reduce((sum, vector) => sum + vector[axis]!, 0) / vectors.length);
}

/**
 * Pools the members' tastes for one model into a new version. Each member
 * who has anything for the model counts once: their latest profile and the
 * mean of their moodboards (each board equally) are averaged into one
 * vector per member, then members are averaged with equal weight, so a
 * member with ten boards or a very decisive profile has the same say as one
 * with a single board. Profiles or boards on another axis count (the model
 * changed) are left out, and so is every member who turned personalization
 * off (`user.personalize`): that is their opt-out, and `sources` counts only
 * those who contributed. No sources at all is a 400.
 */
export async function poolHouseStyle(context: THouseStyleContext, actor: THouseStyleActor, teamId: string, modelId: string): Promise<THouseStyleVersion> {
  const team = await manageableTeam(context.db, actor, teamId);
  const axes = await axesOf(context, modelId);
  const k = axes.length;
  // Only members who have personalization on contribute: turning it off opts their taste out of the team's too.
  const members = (await context.db.teamMember.findMany({ where: { teamId, user: { personalize: true } }, select: { userId: true } })).map((member) => member.userId);
  const [profiles, boards] = await Promise.all([
    // The newest version per member (ids count up, so the largest id is the latest).
    context.db.profileVersion.findMany({ where: { userId: { in: members }, modelId }, orderBy: [{ userId: "asc" }, { id: "desc" }], distinct: ["userId"], select: { userId: true, weights: true, covariance: true } }),
    context.db.moodboard.findMany({ where: { userId: { in: members }, modelId }, select: { userId: true, items: { select: { style: true } } } }),
  ]);
  let profileCount = 0;
  let boardCount = 0;
  const memberVectors: number[][] = [];
  for (const userId of members) {
    const sources: number[][] = [];
    const profile = profiles.find((row) => row.userId === userId);
    if (profile && profile.weights.length === k) {
      sources.push(profileAxes(profile.weights, profile.covariance));
      profileCount += 1;
    }
    const styles = boards
      .filter((board) => board.userId === userId)
      .map((board) => moodboardStyle(board.items))
      .filter((style): style is number[] => style !== null && style.length === k);
    if (styles.length > 0) {
      sources.push(mean(styles, k));
      boardCount += styles.length;
    }
    if (sources.length > 0) memberVectors.push(mean(sources, k));
  }
  if (memberVectors.length === 0) {
    throw new AppError(
      "BAD_REQUEST",
      `No member of ${team.name} with personalization on has a personalization profile or a moodboard for ${modelId} yet. Members need to rank pairs at /personalize or make moodboards for this model first (members who turned personalization off are left out).`,
    );
  }
  const vector = mean(memberVectors, k).map((value) => Math.max(-1, Math.min(1, value)));
  const sources: THouseStyleSources = { kind: "pooled", members: memberVectors.length, profiles: profileCount, moodboards: boardCount };
  const row = await storeVersion(context.db, teamId, modelId, vector, sources, actor.userId);
  await recordAudit(context.db, {
    kind: "team.house_style.pooled",
    actor: { userId: actor.userId, ...(actor.email && { email: actor.email }) },
    subject: { id: teamId, label: team.name },
    detail: { code: row.code, model: modelId, members: sources.members, profiles: sources.profiles, moodboards: sources.moodboards },
  });
  return (await toViews(context.db, [row], team.houseStyleId))[0]!;
}

/** Saves slider values as a new version (the one they started from stays as it was). */
export async function adjustHouseStyle(context: THouseStyleContext, actor: THouseStyleActor, teamId: string, input: TAdjustHouseStyleRequest): Promise<THouseStyleVersion> {
  const team = await manageableTeam(context.db, actor, teamId);
  const axes = await axesOf(context, input.modelId);
  if (input.axes.length !== axes.length) {
    throw new AppError("BAD_REQUEST", `${input.modelId} has ${axes.length} style axes (${axes.map((axis) => axis.id).join(", ")}); send one value for each, got ${input.axes.length}.`);
  }
  let carried: Pick<THouseStyleSources, "members" | "profiles" | "moodboards"> = { members: 0, profiles: 0, moodboards: 0 };
  if (input.fromCode) {
    const from = await context.db.teamStyle.findFirst({ where: { code: input.fromCode, teamId }, select: { modelId: true, sources: true } });
    if (!from) throw new AppError("NOT_FOUND", `No house style version "${input.fromCode}" in ${team.name}.`);
    if (from.modelId !== input.modelId) throw new AppError("BAD_REQUEST", `Version "${input.fromCode}" is for ${from.modelId}, not ${input.modelId}.`);
    // What the starting point was pooled from stays visible on the adjusted version.
    const { members, profiles, moodboards } = sourcesOf(from.sources);
    carried = { members, profiles, moodboards };
  }
  const sources: THouseStyleSources = { kind: "adjusted", ...carried, adjustedFrom: input.fromCode ?? null, adjustedBy: actor.userId };
  const row = await storeVersion(context.db, teamId, input.modelId, input.axes, sources, actor.userId);
  await recordAudit(context.db, {
    kind: "team.house_style.adjusted",
    actor: { userId: actor.userId, ...(actor.email && { email: actor.email }) },
    subject: { id: teamId, label: team.name },
    detail: { code: row.code, model: input.modelId, adjustedFrom: input.fromCode ?? null },
  });
  return (await toViews(context.db, [row], team.houseStyleId))[0]!;
}

/** Pins a version of this team as its `--p` (replacing any pin), or unpins with null. */
export async function pinHouseStyle(context: THouseStyleContext, actor: THouseStyleActor, teamId: string, code: string | null): Promise<THouseStyleVersion | null> {
  const team = await manageableTeam(context.db, actor, teamId);
  const auditActor = { userId: actor.userId, ...(actor.email && { email: actor.email }) };
  if (code === null) {
    await context.db.$transaction(async (tx) => {
      await tx.team.update({ where: { id: teamId }, data: { houseStyleId: null } });
      await recordAudit(tx, { kind: "team.house_style.unpinned", actor: auditActor, subject: { id: teamId, label: team.name }, detail: {} });
    });
    return null;
  }
  const version = await context.db.teamStyle.findFirst({ where: { code, teamId }, select: VERSION_SELECT });
  if (!version) throw new AppError("NOT_FOUND", `No house style version "${code}" in ${team.name}; pin one of the team's own versions.`);
  await context.db.$transaction(async (tx) => {
    await tx.team.update({ where: { id: teamId }, data: { houseStyleId: version.id } });
    await recordAudit(tx, { kind: "team.house_style.pinned", actor: auditActor, subject: { id: teamId, label: team.name }, detail: { code, model: version.modelId } });
  });
  return (await toViews(context.db, [version], version.id))[0]!;
}

/** The page's data: the shown model's axes and versions, the pin, and the models to pick from. */
export async function getHouseStyle(context: THouseStyleContext, actor: THouseStyleActor, teamId: string, model?: string): Promise<THouseStyle> {
  const team = await manageableTeam(context.db, actor, teamId);
  const pinned = team.houseStyleId ? await context.db.teamStyle.findUnique({ where: { id: team.houseStyleId }, select: VERSION_SELECT }) : null;
  const installed = await listModels(context.modelsDir);
  // The pinned version's model unless it was asked otherwise, or that model has since been removed.
  const modelId = model ?? (pinned && installed.some((entry) => entry.id === pinned.modelId) ? pinned.modelId : context.defaultModelId);
  const axes = await axesOf(context, modelId);
  // Only models personalization works on: a model whose manifest's axes are broken is left out of the picker.
  const models = (
    await Promise.all(installed.map(async (entry) => ((await modelStyle(context.modelsDir, entry.id).catch(() => null)) ? { id: entry.id, name: entry.name } : null)))
  ).filter((entry): entry is { id: string; name: string } => entry !== null);
  const rows = await context.db.teamStyle.findMany({ where: { teamId, modelId }, orderBy: { id: "desc" }, take: HOUSE_STYLE_VERSIONS_SHOWN, select: VERSION_SELECT });
  const [versions, pinnedViews] = await Promise.all([toViews(context.db, rows, team.houseStyleId), pinned ? toViews(context.db, [pinned], pinned.id) : Promise.resolve([])]);
  return {
    team: { id: team.id, name: team.name },
    model: modelId,
    models,
    axes: axes.map((axis) => ({ id: axis.id, negative: axis.negative, positive: axis.positive })),
    pinned: pinnedViews[0] ?? null,
    versions,
  };
}

// ───────────────────── `--p` (lib/server/personalization/service.ts) ─────────────────────

/** A house style as the profile machinery takes it: weights with tanh(w) = the axis values, and no uncertainty. */
function asProfile(row: { code: string; modelId: string; axes: number[] }) {
  return { code: row.code, modelId: row.modelId, weights: styleVectorAsWeights(row.axes), covariance: row.axes.flatMap(() => row.axes.map(() => 0)) };
}

/** The user's team and the house style it pinned, or null when the user is in no team or it pinned nothing. */
export async function memberHouseStyle(db: Db, userId: string): Promise<{ team: string; code: string; modelId: string; axes: number[] } | null> {
  const membership = await db.teamMember.findUnique({
    where: { userId },
    select: { team: { select: { name: true, houseStyle: { select: { code: true, modelId: true, axes: true } } } } },
  });
  const style = membership?.team.houseStyle;
  return style ? { team: membership.team.name, ...style } : null;
}

/**
 * What `--p` alone means for a member of a team whose pinned house style is
 * for this model: that style. Null when the user is in no team, the team
 * pinned nothing, or the pin is for another model (then the caller falls
 * back to the user's own latest profile).
 */
export async function pinnedHouseStyle(db: Db, userId: string, modelId: string) {
  const style = await memberHouseStyle(db, userId);
  return style && style.modelId === modelId ? asProfile(style) : null;
}

/**
 * House style codes named with `--p CODE`, as profiles, for those who may see
 * them: members of the team and admins. Anyone else's codes are left out, so
 * they read as unknown codes (a team's style is not shared outside it). A
 * visible code made for another model is a 400 naming it.
 */
export async function teamStyleProfiles(db: Db, userId: string, modelId: string, codes: readonly string[]) {
  if (codes.length === 0) return [];
  const rows = await db.teamStyle.findMany({ where: { code: { in: [...codes] } }, select: { code: true, teamId: true, modelId: true, axes: true } });
  if (rows.length === 0) return [];
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true, teamMember: { select: { teamId: true } } } });
  const visible = rows.filter((row) => user?.role === "admin" || user?.teamMember?.teamId === row.teamId);
  const foreign = visible.find((row) => row.modelId !== modelId);
  if (foreign) throw new AppError("BAD_REQUEST", `House style "${foreign.code}" was made for ${foreign.modelId}, not ${modelId}; pick that model or another code.`);
  return visible.map(asProfile);
}
