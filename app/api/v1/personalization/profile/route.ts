import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getProfile, setEnabled } from "@/lib/server/personalization/service";

export const GET = route(endpoints.getProfile, async ({ principal }) => ({ status: 200, body: await getProfile(getWebContext().jobs, principal.userId) }));

// { enabled }: personalization on by default, or off.
export const PATCH = route(endpoints.setProfileEnabled, async ({ principal, body }) => ({
  status: 200,
  body: await setEnabled(getWebContext().jobs, principal.userId, body.enabled),
}));
