import { ZPromptPolicy, ZUpdatePromptPolicyRequest } from "@/lib/schemas/moderation";
import { defineEndpoint } from "../contract";

export const getPromptPolicy = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/moderation",
  access: "admin",
  summary: "The prompt policy: blocked words and phrases (admin)",
  responses: { 200: { schema: ZPromptPolicy, description: "The policy" } },
});

export const updatePromptPolicy = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/admin/moderation",
  access: "admin",
  summary: "Replace the blocked words and phrases (admin)",
  description:
    "Every prompt, Draft message and protocol request is checked before it is queued: whole words, ignoring case and accents, reading look-alikes (0→o, 1→i/l, 3→e, 4→a, 5→s, @→a, $→s) as letters. A match is refused with 403 and recorded in the audit log.",
  body: ZUpdatePromptPolicyRequest,
  responses: { 200: { schema: ZPromptPolicy, description: "The policy after the change" } },
});
