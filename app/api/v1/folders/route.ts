import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createFolder, listFolderView } from "@/lib/server/gallery/folders";

// The user's own folders and their team's (docs/teams.md, "Team folders").
export const GET = route(endpoints.listFolders, async ({ principal }) => ({ status: 200, body: await listFolderView(getWebContext().db, principal.userId) }));

// With `query`, a smart folder (a saved search); with `team: true`, a folder shared with the caller's team.
export const POST = route(endpoints.createFolder, async ({ principal, body }) => ({
  status: 201,
  body: await createFolder(getWebContext().db, principal.userId, body),
}));
