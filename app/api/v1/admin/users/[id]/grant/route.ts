import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { ZIdParam } from "@/lib/schemas/account";
import { ZGrantRequest } from "@/lib/schemas/usage";
import { getUsage } from "@/lib/server/accounting/usage";
import { grantFastTime } from "@/lib/server/accounting/ledger";
import { MS_PER_HOUR } from "@/lib/server/accounting/rates";
import { getWebContext } from "@/lib/server/context";

// POST /api/v1/admin/users/:id/grant – extra fast hours for this period (admin only)
export const POST = apiRoute<{ id: string }>("admin", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { hours, note } = await readJson(req, ZGrantRequest);
  const { db } = getWebContext();
  if (!(await db.user.findUnique({ where: { id }, select: { id: true } }))) throw new AppError("NOT_FOUND", "No such user.");
  await db.$transaction((tx) => grantFastTime(tx, { userId: id, amountMs: BigInt(Math.round(hours * MS_PER_HOUR)), actorId: principal.userId, note }));
  return Response.json(await getUsage(db, id));
});
