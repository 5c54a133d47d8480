import type { Metadata } from "next";
import { CreateStudio } from "@/components/create/create-studio";
import { getWebContext } from "@/lib/server/context";
import { listModels } from "@/lib/models/catalog";
import { listJobsForUser } from "@/lib/server/jobs/read-jobs";
import { listOnlineWorkers } from "@/lib/server/workers";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Create" };

export default async function CreatePage({ searchParams }: { searchParams: Promise<{ prompt?: string | string[] }> }) {
  const principal = await requirePageUser();
  const { prompt } = await searchParams;
  const { db, jobs: jobContext } = getWebContext();
  const [{ jobs, nextCursor }, models, workers] = await Promise.all([
    listJobsForUser(db, principal.userId, { limit: 20 }),
    listModels(jobContext.modelsDir),
    listOnlineWorkers(db),
  ]);
  // Jobs for a model no live worker has loaded are accepted and wait for one; the picker says so.
  const served = new Set(workers.flatMap((worker) => worker.models));
  return (
    <>
      <h1 className="sr-only">Create</h1>
      <CreateStudio initialJobs={jobs} initialCursor={nextCursor} initialText={typeof prompt === "string" ? prompt.slice(0, 6000) : ""}
        models={models.map((model) => ({ id: model.id, name: served.has(model.id) ? model.name : `${model.name} (no worker has it loaded; jobs wait)` }))} />
    </>
  );
}
