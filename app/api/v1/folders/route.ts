import { apiRoute, readJson } from "@/lib/api/route";
import { ZCreateFolderRequest } from "@/lib/schemas/gallery";
import { getWebContext } from "@/lib/server/context";
import { createFolder, listFolders } from "@/lib/server/gallery/folders";

// GET /api/v1/folders – your folders and smart folders, by name
export const GET = apiRoute("user", async ({ principal }) => Response.json({ folders: await listFolders(getWebContext().db, principal.userId) }));

// POST /api/v1/folders { name, query? } – a folder, or with `query` a smart folder (a saved search)
export const POST = apiRoute("user", async ({ req, principal }) => {
  const input = await readJson(req, ZCreateFolderRequest);
  return Response.json(await createFolder(getWebContext().db, principal.userId, input), { status: 201 });
});
