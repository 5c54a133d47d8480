import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getMe } from "@/lib/server/users";

export const GET = route(endpoints.getMe, async ({ principal }) => ({ status: 200, body: await getMe(getWebContext().db, principal.userId) }));
