import { apiRoute } from "@/lib/api/route";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

// GET /api/v1/me/usage – plan, period, fast time used and left, Relax time, recent charges
export const GET = apiRoute("user", async ({ principal }) => Response.json(await getUsage(getWebContext().db, principal.userId)));
