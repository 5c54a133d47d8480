import { apiRoute } from "@/lib/api/route";
import { listModels } from "@/lib/models/catalog";
import { getWebContext } from "@/lib/server/context";
import { listOnlineWorkers } from "@/lib/server/workers";

// GET /api/v1/models – installed models, their aspect ratios, and how many workers serve each
export const GET = apiRoute("user", async () => {
  const { jobs, db } = getWebContext();
  const [models, workers] = await Promise.all([listModels(jobs.modelsDir), listOnlineWorkers(db)]);
  return Response.json({
    defaultModel: jobs.defaultModelId,
    models: models.map((model) => ({
      id: model.id,
      name: model.name,
      aspectRatios: Object.keys(model.sizes),
      hasUpscaler: model.hasUpscaler,
      workersOnline: workers.filter((worker) => worker.models.includes(model.id)).length,
    })),
  });
});
