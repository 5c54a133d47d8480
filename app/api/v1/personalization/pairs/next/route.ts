import { apiRoute } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { nextPairs } from "@/lib/server/personalization/service";

// GET /api/v1/personalization/pairs/next – the next pair to rank (and one to prefetch)
export const GET = apiRoute("user", async ({ principal }) => Response.json(await nextPairs(getWebContext().jobs, principal.userId)));
