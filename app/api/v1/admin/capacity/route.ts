import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getCapacityEstimate } from "@/lib/server/accounting/capacity";
import { getWebContext } from "@/lib/server/context";

export const GET = route(endpoints.adminCapacity, async () => ({ status: 200, body: await getCapacityEstimate(getWebContext().db) }));
