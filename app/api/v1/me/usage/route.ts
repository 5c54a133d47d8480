import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// Plan, period, fast time used and left, Relax time, recent charges.
export const GET = route(endpoints.getMyUsage, async ({ principal }) => ({ status: 200, body: await getUsage(getWebContext().db, principal.userId) }));
