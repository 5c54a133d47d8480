import "server-only";
import sharp from "sharp";
import { DEFAULT_LLM_TIMEOUT_MS, type TLlmConfig } from "@/lib/draft";
import { llmDescribeBody, readLlmPrompts } from "@/lib/describe/llm-reply";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { imageFileKey, readStoredObject, type ObjectStore } from "@/lib/storage";

/** Longest side sent to the vision model: enough to read a picture, small enough to send quickly. */
const MAX_SIDE = 512;

/**
 * Four prompts from the configured OpenAI-compatible vision model, for models
 * without a describer of their own. Runs in the web process: it is one HTTP
 * call and one small resize, no inference here.
 */
export async function describeWithLlm(llm: TLlmConfig, storage: ObjectStore, storageKey: string, log: Logger): Promise<string[]> {
  const object = await storage.get(imageFileKey(storageKey, "full"));
  if (!object) throw new AppError("NOT_FOUND", "The image's file is missing; it cannot be described.");
  const jpeg = await sharp(await readStoredObject(object)).resize(MAX_SIDE, MAX_SIDE, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  const unavailable = (detail: string) => new AppError("UNAVAILABLE", "The vision model could not describe the image right now. Try again in a moment.", { detail, retryAfterSeconds: 5 });
  let content: unknown;
  try {
    const response = await fetch(`${llm.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify(llmDescribeBody(llm.model, `data:image/jpeg;base64,${jpeg.toString("base64")}`)),
      signal: AbortSignal.timeout(llm.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS),
    });
    if (!response.ok) throw unavailable(`HTTP ${response.status}`);
    const json = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> } | null;
    content = json?.choices?.[0]?.message?.content;
  } catch (error) {
    if (error instanceof AppError) throw error;
    log.warn({ err: error }, "describe: the vision model request failed");
    throw unavailable((error as Error).message);
  }
  const prompts = typeof content === "string" ? readLlmPrompts(content) : null;
  if (!prompts) throw unavailable("the reply held no four prompts");
  return prompts;
}
