import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { listUsers } from "@/lib/server/users";

export const GET = route(endpoints.listUsers, async () => ({ status: 200, body: { users: await listUsers(getWebContext().db) } }));
