import { listModels } from "@/lib/models/catalog";
import { openAiRoute } from "@/lib/protocols/openai/route";

// OpenAI's model list: the installed models (`created` is not tracked, so 0).
export const GET = openAiRoute(async ({ web }) => {
  const models = await listModels(web.jobs.modelsDir);
  return { object: "list", data: models.map((model) => ({ id: model.id, object: "model", created: 0, owned_by: "mirage" })) };
});
