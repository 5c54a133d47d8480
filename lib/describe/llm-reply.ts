/**
 * Describe through an OpenAI-compatible vision model (docs/describe.md §6):
 * the request body and the reading of its reply. Pure, so it is tested
 * without a server; lib/server/describe/describe-with-llm.ts sends it.
 */
import { z } from "zod";
import { DESCRIBE_PROMPT_COUNT } from "@/lib/schemas/describe";

const SYSTEM_PROMPT = [
  "You write prompts for an image generator.",
  `Look at the image and reply with a JSON object {"prompts": [...]} holding exactly ${DESCRIBE_PROMPT_COUNT} different prompts that would make an image like it, the most faithful first.`,
  "Each prompt is one line of plain description (subject, colours, composition, setting, style), at most 60 words, with no --parameters.",
].join(" ");

const PROMPTS_SCHEMA = {
  type: "object",
  properties: { prompts: { type: "array", items: { type: "string" }, minItems: DESCRIBE_PROMPT_COUNT, maxItems: DESCRIBE_PROMPT_COUNT } },
  required: ["prompts"],
  additionalProperties: false,
};

/** The chat-completions body: the instruction and the image as a data URL. */
export function llmDescribeBody(model: string, imageDataUrl: string): Record<string, unknown> {
  return {
    model,
    temperature: 0.2,
    response_format: { type: "json_schema", json_schema: { name: "describe", schema: PROMPTS_SCHEMA } },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: [{ type: "text", text: "Describe this image as prompts." }, { type: "image_url", image_url: { url: imageDataUrl } }] },
    ],
  };
}

const ZReply = z.object({ prompts: z.array(z.string()) });

/** A prompt as the imagine bar takes it: one line, no parameters the model slipped in, bounded. */
function cleanPrompt(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/(^|\s)(--|\u2014)\w[\s\S]*$/, "")
    .replace(/^["'\u201c`]+|["'\u201d`]+$/g, "")
    .trim()
    .slice(0, 500);
}

/**
 * The four prompts in a reply's message content (JSON, possibly inside a code
 * fence), or null when it holds fewer than four usable distinct ones.
 */
export function readLlmPrompts(content: string): string[] | null {
  const text = content.trim().replace(/^```[a-z]*\s*/i, "").replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ZReply.safeParse(json);
  if (!parsed.success) return null;
  const prompts = [...new Set(parsed.data.prompts.map(cleanPrompt).filter((prompt) => prompt.length > 0))];
  return prompts.length >= DESCRIBE_PROMPT_COUNT ? prompts.slice(0, DESCRIBE_PROMPT_COUNT) : null;
}
