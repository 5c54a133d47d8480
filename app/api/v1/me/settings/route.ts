import { apiRoute, readJson } from "@/lib/api/route";
import { ZUsageSettingsRequest } from "@/lib/schemas/usage";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// PATCH /api/v1/me/settings – e.g. { autoRelax: true }: run jobs in Relax when fast time runs out
export const PATCH = apiRoute("user", async ({ req, principal }) => {
  const { autoRelax } = await readJson(req, ZUsageSettingsRequest);
  const { db } = getWebContext();
  await db.user.update({ where: { id: principal.userId }, data: { autoRelax } });
  return Response.json(await getUsage(db, principal.userId));
});
