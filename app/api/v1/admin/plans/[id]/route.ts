import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZUpdatePlanRequest } from "@/lib/schemas/usage";
import { getWebContext } from "@/lib/server/context";
import { updatePlan } from "@/lib/server/plans-admin";

// PATCH /api/v1/admin/plans/:id – change a plan's hours, caps or Relax (admin only)
export const PATCH = apiRoute<{ id: string }>("admin", async ({ req, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await updatePlan(getWebContext().db, id, await readJson(req, ZUpdatePlanRequest)));
});
