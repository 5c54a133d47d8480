import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getStudioSettings, updateStudioSettings } from "@/lib/server/settings";

export const GET = route(endpoints.getStudioSettings, async () => ({ status: 200, body: await getStudioSettings(getWebContext().db) }));

export const PATCH = route(endpoints.updateStudioSettings, async ({ body }) => ({ status: 200, body: await updateStudioSettings(getWebContext().db, body) }));
