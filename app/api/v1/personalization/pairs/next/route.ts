import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { nextPairs } from "@/lib/server/personalization/service";

export const GET = route(endpoints.nextPairs, async ({ principal }) => ({ status: 200, body: await nextPairs(getWebContext().jobs, principal.userId) }));
