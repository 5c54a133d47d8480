import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getUsage, setAutoRelax } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// e.g. { autoRelax: true }: run jobs in Relax when fast time runs out;
// { create: { aspect, stylize, chaos, mode, draft, model } }: Create's settings panel, restored on the next visit.
export const PATCH = route(endpoints.updateMySettings, async ({ principal, body: { autoRelax, create } }) => {
  const { db } = getWebContext();
  if (autoRelax !== undefined) await setAutoRelax(db, principal.userId, autoRelax);
  if (create !== undefined) await db.user.update({ where: { id: principal.userId }, data: { createSettings: create } });
  return { status: 200, body: await getUsage(db, principal.userId) };
});
