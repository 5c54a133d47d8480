import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { HouseStyleEditor } from "@/components/teams/house-style-editor";
import { AppError } from "@/lib/errors";
import { ZHouseStyleModelId } from "@/lib/schemas/house-style";
import { requirePageUser } from "@/lib/server/session";
import { getHouseStyle } from "@/lib/server/teams/house-style";
import { houseStyleContext } from "@/lib/server/teams/house-style-context";

export const metadata: Metadata = { title: "House style" };

/** A team's house style: for admins and the team's owner; anyone else sees a 404 (the page does not say the team exists). */
export default async function HouseStylePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ model?: string | string[] }> }) {
  const principal = await requirePageUser();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const model = ZHouseStyleModelId.safeParse(query.model);
  const load = (modelId: string | undefined) => getHouseStyle(houseStyleContext(), principal, id, modelId);
  const style = await load(model.success ? model.data : undefined)
    // A ?model= that is not installed shows the default model rather than an error page.
    .catch((error: unknown) => (model.success && error instanceof AppError && error.code === "BAD_REQUEST" ? load(undefined) : Promise.reject(error)))
    .catch((error: unknown) => {
      if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
      throw error;
    });
  return (
    <>
      <PageHeader title={`House style · ${style.team.name}`}>
        The team&apos;s taste on the model&apos;s style axes, pooled from its members&apos; rankings and moodboards. Pin a version and it becomes what
        <code> --p</code> means for every member on that model; each version&apos;s code also works as <code>--p CODE</code> for the team.
      </PageHeader>
      <HouseStyleEditor key={style.model} initial={style} />
    </>
  );
}
