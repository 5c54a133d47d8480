import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/**
 * Who may read an image (docs/teams.md, "Team folders"): its owner, or a
 * member of the owner's team when the image is in one of that team's
 * folders. Both sides of the share are checked at read time, so leaving the
 * team (the membership row removed) ends access at once, both ways: the
 * leaver no longer sees the team's images and the team no longer sees the
 * images the leaver had added. One team per user means "the folder's team
 * has me" and "the owner's team has me" name the same team.
 *
 * Reading is all a share gives: every write (like, delete, vary, upscale,
 * edit, image prompt, adding to a folder) stays with the owner.
 */
export function readableImageWhere(userId: string): Prisma.ImageWhereInput {
  const myTeam: Prisma.TeamWhereInput = { members: { some: { userId } } };
  return {
    deletedAt: null,
    OR: [{ userId }, { user: { teamMember: { team: myTeam } }, folders: { some: { folder: { team: myTeam } } } }],
  };
}

/**
 * The error for an owner-only action on an image the caller does not own: a
 * 403 naming the owner when a team folder shares it with the caller (they can
 * see it, so "not found" would be a lie), else the usual 404, which says
 * nothing about other users' images.
 */
export async function notOwnImageError(db: Db, userId: string, imageIds: string[], notFound = "No such image."): Promise<AppError> {
  const unique = [...new Set(imageIds)];
  const rows = await db.image.findMany({
    where: { AND: [{ id: { in: unique } }, readableImageWhere(userId)] },
    select: { userId: true, user: { select: { name: true } } },
  });
  const shared = rows.filter((row) => row.userId !== userId);
  const own = rows.length - shared.length;
  // Every id is readable and at least one is a teammate's: say whose, and what to do instead.
  if (shared.length > 0 && own + shared.length === unique.length) {
    const owners = [...new Set(shared.map((row) => row.user.name))];
    const whose = owners.length === 1 ? `${owners[0]}'s` : "your teammates'";
    return new AppError(
      "FORBIDDEN",
      `${shared.length === 1 ? "This image is" : `${shared.length} of these images are`} ${whose}, shared with you through a team folder: you can view and download ${shared.length === 1 ? "it" : "them"}, but only the owner can change or reuse ${shared.length === 1 ? "it" : "them"}. Ask ${owners.length === 1 ? owners[0] : "them"}.`,
    );
  }
  return new AppError("NOT_FOUND", notFound);
}

/**
 * Checks that every id names an image the user may read (their own, or a
 * teammate's in a team folder). One that is not fails the whole request with
 * 404, so a bulk read is all or nothing and says nothing about other images.
 */
export async function requireReadableImages(db: Db, userId: string, imageIds: string[]): Promise<string[]> {
  const unique = [...new Set(imageIds)];
  const found = await db.image.count({ where: { AND: [{ id: { in: unique } }, readableImageWhere(userId)] } });
  if (found !== unique.length) throw new AppError("NOT_FOUND", unique.length === 1 ? "No such image." : "One or more of these images do not exist.");
  return unique;
}
