import { apiRoute } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { listUsers } from "@/lib/server/users";

// GET /api/v1/admin/users – every account (admin only)
export const GET = apiRoute("admin", async () => Response.json({ users: await listUsers(getWebContext().db) }));
