import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { removeMoodboardImage } from "@/lib/server/references/moodboards";
import { moodboardContext } from "@/lib/server/references/moodboard-context";

export const DELETE = route(endpoints.removeMoodboardImage, async ({ principal, params }) => ({ status: 200, body: await removeMoodboardImage(moodboardContext(), principal.userId, params.id, params.itemId) }));
