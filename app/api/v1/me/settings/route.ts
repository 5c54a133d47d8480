import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// e.g. { autoRelax: true }: run jobs in Relax when fast time runs out.
export const PATCH = route(endpoints.updateMySettings, async ({ principal, body: { autoRelax } }) => {
  const { db } = getWebContext();
  await db.user.update({ where: { id: principal.userId }, data: { autoRelax } });
  return { status: 200, body: await getUsage(db, principal.userId) };
});
