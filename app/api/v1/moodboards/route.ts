import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { createMoodboard, listMoodboards } from "@/lib/server/references/moodboards";
import { moodboardContext } from "@/lib/server/references/moodboard-context";

export const GET = route(endpoints.listMoodboards, async ({ principal }) => ({
  status: 200,
  body: { moodboards: await listMoodboards(moodboardContext(), principal.userId) },
}));

export const POST = route(endpoints.createMoodboard, async ({ principal, body }) => ({ status: 201, body: await createMoodboard(moodboardContext(), principal.userId, body) }));
