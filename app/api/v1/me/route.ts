import { apiRoute } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { getMe } from "@/lib/server/users";

// GET /api/v1/me – who is asking
export const GET = apiRoute("user", async ({ principal }) => Response.json(await getMe(getWebContext().db, principal.userId)));
