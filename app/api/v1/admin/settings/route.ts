import { apiRoute, readJson } from "@/lib/api/route";
import { ZUpdateSettingsRequest } from "@/lib/schemas/admin";
import { getWebContext } from "@/lib/server/context";
import { getStudioSettings, updateStudioSettings } from "@/lib/server/settings";

// GET /api/v1/admin/settings – studio settings (admin only)
export const GET = apiRoute("admin", async () => Response.json(await getStudioSettings(getWebContext().db)));

// PATCH /api/v1/admin/settings – e.g. turn open sign-up off (admin only)
export const PATCH = apiRoute("admin", async ({ req }) =>
  Response.json(await updateStudioSettings(getWebContext().db, await readJson(req, ZUpdateSettingsRequest))),
);
