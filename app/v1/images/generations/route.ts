import { generateImages } from "@/lib/protocols/openai/images";
import { openAiRoute, readJson } from "@/lib/protocols/openai/route";
import { ZGenerationsRequest } from "@/lib/protocols/openai/schemas";

export const POST = openAiRoute(async ({ req, principal, web }) => generateImages(web, principal, await readJson(req, ZGenerationsRequest), req.signal));
