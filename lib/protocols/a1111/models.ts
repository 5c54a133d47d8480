import "server-only";
import { AppError } from "@/lib/errors";
import { listModels, type CatalogModel } from "@/lib/models/catalog";
import type { ProtocolContext } from "../context";

/**
 * Checkpoints in A1111's terms are Mirage's installed models: the title is the
 * model folder's name. Clients send back a title, sometimes with A1111's
 * " [hash]" suffix or a file extension; both are ignored.
 */
function normalise(name: string): string {
  return name.replace(/\s*\[[0-9a-f]+\]$/i, "").replace(/\.(safetensors|ckpt|onnx)$/i, "").trim();
}

export async function findCheckpoint(web: ProtocolContext, name: string): Promise<CatalogModel> {
  const models = await listModels(web.jobs.modelsDir);
  const wanted = normalise(name);
  const model = models.find((candidate) => candidate.id === wanted || candidate.name === wanted);
  if (!model) throw new AppError("BAD_REQUEST", `Unknown checkpoint "${name}". Installed: ${models.map((candidate) => candidate.id).join(", ") || "none"} (GET /sdapi/v1/sd-models).`);
  return model;
}

/** The caller's default model (POST /sdapi/v1/options) while it is installed, else the studio's. */
export async function callerModelId(web: ProtocolContext, userId: string): Promise<string> {
  const user = await web.db.user.findUnique({ where: { id: userId }, select: { defaultModel: true } });
  if (user?.defaultModel && (await listModels(web.jobs.modelsDir)).some((model) => model.id === user.defaultModel)) return user.defaultModel;
  return web.jobs.defaultModelId;
}

export async function setCallerModel(web: ProtocolContext, userId: string, name: string): Promise<void> {
  const model = await findCheckpoint(web, name);
  await web.db.user.update({ where: { id: userId }, data: { defaultModel: model.id } });
}
