import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createFolder, listFolders } from "@/lib/server/gallery/folders";

export const GET = route(endpoints.listFolders, async ({ principal }) => ({ status: 200, body: { folders: await listFolders(getWebContext().db, principal.userId) } }));

// With `query`, a smart folder (a saved search).
export const POST = route(endpoints.createFolder, async ({ principal, body }) => ({
  status: 201,
  body: await createFolder(getWebContext().db, principal.userId, body),
}));
