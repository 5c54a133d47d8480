import type { Metadata } from "next";
import { CreateStudio } from "@/components/create/create-studio";
import { getWebContext } from "@/lib/server/context";
import { listModels } from "@/lib/models/catalog";
import { ZCreateSettings } from "@/lib/schemas/usage";
import { listJobsForUser } from "@/lib/server/jobs/read-jobs";
import { listOnlineWorkers } from "@/lib/server/workers";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Create" };

export default async function CreatePage({ searchParams }: { searchParams: Promise<{ prompt?: string | string[]; image?: string | string[] }> }) {
  const principal = await requirePageUser();
  const { prompt, image } = await searchParams;
  const { db, jobs: jobContext } = getWebContext();
  const [{ jobs, nextCursor }, models, workers, startImage, saved] = await Promise.all([
    listJobsForUser(db, principal.userId, { limit: 20 }),
    listModels(jobContext.modelsDir),
    listOnlineWorkers(db),
    // "Use image" from Organize arrives as ?image=<id>; only the user's own image is taken.
    typeof image === "string" && image.length <= 64 ? db.image.findFirst({ where: { id: image, userId: principal.userId, deletedAt: null }, select: { id: true } }) : null,
    db.user.findUnique({ where: { id: principal.userId }, select: { createSettings: true } }),
  ]);
  // The settings panel as the user left it; a model that is gone falls back to the default.
  const settings = ZCreateSettings.safeParse(saved?.createSettings);
  const initialSettings = settings.success ? { ...settings.data, model: settings.data.model && models.some((model) => model.id === settings.data.model) ? settings.data.model : null } : undefined;
  // Jobs for a model no live worker has loaded are accepted and wait for one; the picker says so.
  const served = new Set(workers.flatMap((worker) => worker.models));
  return (
    <>
      <h1 className="sr-only">Create</h1>
      <CreateStudio initialJobs={jobs} initialCursor={nextCursor} initialSettings={initialSettings} initialText={typeof prompt === "string" ? prompt.slice(0, 6000) : ""}
        initialImagePrompt={startImage ? { ref: { imageId: startImage.id }, thumbUrl: `/api/v1/images/${startImage.id}/file?size=thumb` } : null}
        defaultModelId={jobContext.defaultModelId}
        // Describe is offered where the model ships a describer or a vision model is configured (docs/describe.md §6).
        models={models.map((model) => ({ id: model.id, name: served.has(model.id) ? model.name : `${model.name} (no worker has it loaded; jobs wait)`, canDescribe: model.hasDescriber || getWebContext().llm !== null, words: model.words }))} />
    </>
  );
}
