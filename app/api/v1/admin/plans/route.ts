import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { listPlans } from "@/lib/server/plans-admin";

export const GET = route(endpoints.listPlans, async () => ({ status: 200, body: { plans: await listPlans(getWebContext().db) } }));
