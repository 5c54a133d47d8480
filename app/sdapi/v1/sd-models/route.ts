import { listModels } from "@/lib/models/catalog";
import { a1111Route } from "@/lib/protocols/a1111/route";

// The installed models as A1111 checkpoints: the title (what clients send back) is the model folder's name.
export const GET = a1111Route(async ({ web }) =>
  (await listModels(web.jobs.modelsDir)).map((model) => ({ title: model.id, model_name: model.id, hash: null, sha256: null, filename: `models/${model.id}`, config: null })),
);
