import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getPromptPolicy, updatePromptPolicy } from "@/lib/server/moderation/prompt-policy";

export const GET = route(endpoints.getPromptPolicy, async () => ({ status: 200, body: await getPromptPolicy(getWebContext().db) }));

export const PATCH = route(endpoints.updatePromptPolicy, async ({ principal, body }) => ({
  status: 200,
  body: await updatePromptPolicy(getWebContext().db, principal, body.terms),
}));
