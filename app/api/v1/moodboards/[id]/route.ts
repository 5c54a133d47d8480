import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteMoodboard, renameMoodboard } from "@/lib/server/references/moodboards";
import { moodboardContext } from "@/lib/server/references/moodboard-context";

export const PATCH = route(endpoints.renameMoodboard, async ({ principal, params, body }) => ({ status: 200, body: await renameMoodboard(moodboardContext(), principal.userId, params.id, body.name) }));

export const DELETE = route(endpoints.deleteMoodboard, async ({ principal, params }) => {
  await deleteMoodboard({ db: getWebContext().db }, principal.userId, params.id);
  return { status: 204, body: undefined };
});
