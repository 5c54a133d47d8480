import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export function noSuchTeam(): AppError {
  return new AppError("NOT_FOUND", "No such team. It may have been deleted; reload the list of teams.");
}

export function duplicateTeamName(name: string): AppError {
  return new AppError("CONFLICT", `A team named "${name}" already exists. Pick another name.`);
}
