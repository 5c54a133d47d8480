import { apiRoute, readJson } from "@/lib/api/route";
import { ZProfileToggleRequest } from "@/lib/schemas/personalization";
import { getWebContext } from "@/lib/server/context";
import { getProfile, setEnabled } from "@/lib/server/personalization/service";

// GET /api/v1/personalization/profile – progress, unlocked, enabled, current code and its metrics
export const GET = apiRoute("user", async ({ principal }) => Response.json(await getProfile(getWebContext().jobs, principal.userId)));

// PATCH /api/v1/personalization/profile – { enabled }: personalization on by default, or off
export const PATCH = apiRoute("user", async ({ req, principal }) => {
  const { enabled } = await readJson(req, ZProfileToggleRequest);
  return Response.json(await setEnabled(getWebContext().jobs, principal.userId, enabled));
});
