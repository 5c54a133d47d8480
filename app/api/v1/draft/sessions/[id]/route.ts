import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getDraftSession } from "@/lib/server/draft/sessions";

export const GET = route(endpoints.getDraftSession, async ({ principal, params }) => ({
  status: 200,
  body: await getDraftSession(getWebContext().jobs, principal.userId, params.id),
}));
