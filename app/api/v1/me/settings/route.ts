import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getUsage, setAutoRelax } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// e.g. { autoRelax: true }: run jobs in Relax when fast time runs out.
export const PATCH = route(endpoints.updateMySettings, async ({ principal, body: { autoRelax } }) => {
  const { db } = getWebContext();
  await setAutoRelax(db, principal.userId, autoRelax);
  return { status: 200, body: await getUsage(db, principal.userId) };
});
