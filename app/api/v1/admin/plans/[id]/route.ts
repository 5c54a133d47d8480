import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { updatePlan } from "@/lib/server/plans-admin";

export const PATCH = route(endpoints.updatePlan, async ({ params, body }) => ({ status: 200, body: await updatePlan(getWebContext().db, params.id, body) }));
