import type { Metadata } from "next";
import { CreateStudio } from "@/components/create/create-studio";
import { getWebContext } from "@/lib/server/context";
import { listModels } from "@/lib/models/catalog";
import { listJobsForUser } from "@/lib/server/jobs/read-jobs";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Create" };

export default async function CreatePage({ searchParams }: { searchParams: Promise<{ prompt?: string | string[] }> }) {
  const principal = await requirePageUser();
  const { prompt } = await searchParams;
  const { db, jobs: jobContext } = getWebContext();
  const [{ jobs, nextCursor }, models] = await Promise.all([listJobsForUser(db, principal.userId, { limit: 20 }), listModels(jobContext.modelsDir)]);
  return (
    <>
      <h1 className="sr-only">Create</h1>
      <CreateStudio initialJobs={jobs} initialCursor={nextCursor} initialText={typeof prompt === "string" ? prompt.slice(0, 6000) : ""}
        models={models.map((model) => ({ id: model.id, name: model.name }))} />
    </>
  );
}
