import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { listModels } from "@/lib/models/catalog";
import { getWebContext } from "@/lib/server/context";
import { listOnlineWorkers } from "@/lib/server/workers";

// Installed models, their aspect ratios, and how many workers serve each.
export const GET = route(endpoints.listModels, async () => {
  const { jobs, db } = getWebContext();
  const [models, workers] = await Promise.all([listModels(jobs.modelsDir), listOnlineWorkers(db)]);
  return {
    status: 200,
    body: {
      defaultModel: jobs.defaultModelId,
      models: models.map((model) => ({
        id: model.id,
        name: model.name,
        aspectRatios: Object.keys(model.sizes),
        hasUpscaler: model.hasUpscaler,
        // Its own describer, or the configured vision model (docs/describe.md §6).
        canDescribe: model.hasDescriber || getWebContext().llm !== null,
        workersOnline: workers.filter((worker) => worker.models.includes(model.id)).length,
      })),
    },
  };
});
