import { apiRoute } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { listPlans } from "@/lib/server/plans-admin";

// GET /api/v1/admin/plans – the plans (admin only)
export const GET = apiRoute("admin", async () => Response.json({ plans: await listPlans(getWebContext().db) }));
