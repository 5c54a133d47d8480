import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { recordAudit } from "@/lib/server/audit/record";
import { getWebContext } from "@/lib/server/context";
import { getStudioSettings, updateStudioSettings } from "@/lib/server/settings";

export const GET = route(endpoints.getStudioSettings, async () => ({ status: 200, body: await getStudioSettings(getWebContext().db) }));

export const PATCH = route(endpoints.updateStudioSettings, async ({ principal, body }) => {
  const { db } = getWebContext();
  const settings = await updateStudioSettings(db, body);
  await recordAudit(db, { kind: "settings.changed", actor: principal, detail: { changes: body } });
  return { status: 200, body: settings };
});
