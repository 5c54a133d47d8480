import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { upscaleKind } from "@/lib/jobs/kinds/upscale";
import { varyKind } from "@/lib/jobs/kinds/vary";
import { reduceRatio } from "@/lib/prompt/aspect-ratio";
import { ZSmartQuery, type TGalleryImage, type TGalleryQuery, type TSmartQuery } from "@/lib/schemas/gallery";

const DAY_MS = 86_400_000;

/** Gallery type filter → SQL over the job's type and the image's draft flag. */
const TYPE_CONDITIONS: Record<NonNullable<TGalleryQuery["type"]>, Prisma.Sql> = {
  imagine: Prisma.sql`j.type = 'imagine' AND NOT i."isDraft"`,
  draft: Prisma.sql`i."isDraft"`,
  vary: Prisma.sql`j.type IN (${Prisma.join(Object.keys(varyKind.types))})`,
  upscale: Prisma.sql`j.type IN (${Prisma.join(Object.keys(upscaleKind.types))})`,
  enhance: Prisma.sql`j.type = 'enhance'`,
  rerun: Prisma.sql`j.type = 'rerun'`,
};

interface Row {
  id: string;
  jobId: string;
  prompt: string;
  type: string;
  width: number;
  height: number;
  seed: bigint;
  isDraft: boolean;
  likedAt: Date | null;
  modelId: string;
  createdAt: Date;
}

export function toGalleryImage(row: Row): TGalleryImage {
  return {
    id: row.id,
    jobId: row.jobId,
    prompt: row.prompt,
    type: row.type,
    width: row.width,
    height: row.height,
    seed: Number(row.seed),
    isDraft: row.isDraft,
    liked: row.likedAt !== null,
    model: row.modelId,
    createdAt: row.createdAt.toISOString(),
    url: `/api/v1/images/${row.id}/file?size=full`,
    thumbUrl: `/api/v1/images/${row.id}/file?size=thumb`,
  };
}

/**
 * Personalized = personalization was applied when the job was accepted (the
 * job's recipe then carries `personalize: { enabled: true, codes }`); a
 * recipe without it is not personalized.
 */
const PERSONALIZED_RECIPE = Prisma.sql`'{"personalize":{"enabled":true}}'::jsonb`;

/**
 * Whose images a listing draws from: the viewer alone, or (in a team folder)
 * the members of the folder's team. `owners` goes inside `IN (…)`: a single
 * id there is planned exactly like `= id`, so personal listings keep their plans.
 */
interface Scope {
  viewerId: string;
  owners: Prisma.Sql;
  team: boolean;
}

const personalScope = (userId: string): Scope => ({ viewerId: userId, owners: Prisma.sql`${userId}`, team: false });

/** The search and filters of a gallery query (or a smart folder's saved query) as SQL conditions. */
function filterConditions(scope: Scope, query: TSmartQuery): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (query.q) {
    // As a semi-join over the owners' jobs, so the planner can start from the GIN index when the words are rare.
    conditions.push(
      Prisma.sql`i."jobId" IN (SELECT sj.id FROM job sj WHERE sj."userId" IN (${scope.owners}) AND to_tsvector('english', sj.prompt) @@ websearch_to_tsquery('english', ${query.q}))`,
    );
  }
  if (query.type) conditions.push(TYPE_CONDITIONS[query.type]);
  if (query.ar) {
    // Recipes store the ratio reduced (16:9, never 32:18), so a reduced containment test is exact and cheap.
    const [width = 0, height = 0] = query.ar.split(":").map(Number);
    conditions.push(
      width > 0 && height > 0
        ? Prisma.sql`j.recipe @> ${JSON.stringify({ aspectRatio: reduceRatio(width, height) })}::jsonb`
        : Prisma.sql`false`,
    );
  }
  // A like is its owner's own mark: in a team folder "liked" means the viewer's liked images.
  if (query.liked) conditions.push(scope.team ? Prisma.sql`i."likedAt" IS NOT NULL AND i."userId" = ${scope.viewerId}` : Prisma.sql`i."likedAt" IS NOT NULL`);
  if (query.from) conditions.push(Prisma.sql`i."createdAt" >= ${new Date(`${query.from}T00:00:00Z`)}`);
  if (query.to) conditions.push(Prisma.sql`i."createdAt" < ${new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS)}`);
  if (query.model) conditions.push(Prisma.sql`j."modelId" = ${query.model}`);
  if (query.personalized === "1" || query.personalized === "true") {
    // Usually the rarer side: start from the user's personalized jobs rather than walk every image.
    conditions.push(Prisma.sql`i."jobId" IN (SELECT pj.id FROM job pj WHERE pj."userId" IN (${scope.owners}) AND pj.recipe @> ${PERSONALIZED_RECIPE})`);
  } else if (query.personalized) {
    conditions.push(Prisma.sql`NOT (j.recipe @> ${PERSONALIZED_RECIPE})`);
  }
  return conditions;
}

/**
 * The conditions a folder adds: a smart folder's saved search, or membership
 * of a hand-made folder. Someone else's folder (or none) is a 404, as is a
 * team folder of a team the viewer is not (or no longer) in. A team folder
 * widens the listing from the viewer's images to those of the team's current
 * members, only inside the folder (docs/teams.md, "Team folders").
 */
async function folderScope(db: Db, userId: string, folderId: string): Promise<{ scope: Scope; conditions: Prisma.Sql[] }> {
  const folder = await db.folder.findFirst({
    where: { id: folderId, OR: [{ userId, teamId: null }, { team: { members: { some: { userId } } } }] },
    select: { id: true, query: true, teamId: true },
  });
  if (!folder) throw new AppError("NOT_FOUND", "No such folder.");
  const scope: Scope = folder.teamId
    ? { viewerId: userId, owners: Prisma.sql`SELECT tm."userId" FROM team_member tm WHERE tm."teamId" = ${folder.teamId}`, team: true }
    : personalScope(userId);
  if (folder.query !== null) {
    const saved = ZSmartQuery.safeParse(folder.query);
    return { scope, conditions: saved.success ? filterConditions(scope, saved.data) : [] };
  }
  return { scope, conditions: [Prisma.sql`EXISTS (SELECT 1 FROM folder_image f WHERE f."folderId" = ${folder.id} AND f."imageId" = i.id)`] };
}

interface ScopedRow extends Row {
  userId: string;
  ownerName: string | null;
}

/**
 * One page of the user's images, newest first, by keyset on the time-ordered
 * image id. Search is Postgres full-text search over prompts (the GIN index
 * on to_tsvector('english', prompt)); filters narrow by job type, aspect
 * ratio, likes, dates, model, personalization and folder. Ownership is part
 * of every query (the viewer, or in a team folder the team's members);
 * deleted images (awaiting purge) never show.
 */
export async function listImages(db: Db, userId: string, query: TGalleryQuery): Promise<{ images: TGalleryImage[]; nextCursor: string | null }> {
  const folder = query.folder ? await folderScope(db, userId, query.folder) : null;
  const scope = folder?.scope ?? personalScope(userId);
  const conditions: Prisma.Sql[] = [
    scope.team ? Prisma.sql`i."userId" IN (${scope.owners})` : Prisma.sql`i."userId" = ${userId}`,
    Prisma.sql`i."deletedAt" IS NULL`,
  ];
  if (query.cursor) conditions.push(Prisma.sql`i.id < ${query.cursor}`);
  conditions.push(...filterConditions(scope, query));
  if (folder) conditions.push(...folder.conditions);
  // Only a team folder mixes owners, so only it looks up who added each image.
  const ownerName = scope.team ? Prisma.sql`(SELECT u.name FROM "user" u WHERE u.id = i."userId")` : Prisma.sql`NULL::text`;
  const rows = await db.$queryRaw<ScopedRow[]>`
    SELECT i.id, i."jobId", j.prompt, j.type::text AS type, i.width, i.height, i.seed, i."isDraft", i."likedAt", j."modelId", i."createdAt",
           i."userId", ${ownerName} AS "ownerName"
      FROM image i JOIN job j ON j.id = i."jobId"
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY i.id DESC
     LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  return { images: page.map((row) => toSharedGalleryImage(row, userId, row.ownerName)), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

/**
 * An image as its viewer sees it: a teammate's (through a team folder) says
 * who added it, and never shows the owner's like, which is theirs alone.
 */
export function toSharedGalleryImage(row: Row & { userId: string }, viewerId: string, ownerName: string | null): TGalleryImage {
  const image = toGalleryImage(row);
  return row.userId === viewerId ? image : { ...image, liked: false, addedBy: ownerName ?? "a teammate" };
}
