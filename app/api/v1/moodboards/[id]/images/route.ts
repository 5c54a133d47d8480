import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { addMoodboardImages } from "@/lib/server/references/moodboards";
import { moodboardContext } from "@/lib/server/references/moodboard-context";

export const POST = route(endpoints.addMoodboardImages, async ({ principal, params, body }) => ({ status: 200, body: await addMoodboardImages(moodboardContext(), principal.userId, params.id, body.images) }));
