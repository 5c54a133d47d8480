import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { TeamAdminView } from "@/components/teams/team-admin-view";
import { AppError } from "@/lib/errors";
import { ZId } from "@/lib/schemas/common";
import { getWebContext } from "@/lib/server/context";
import { listPlans } from "@/lib/server/plans-admin";
import { requirePageAdmin } from "@/lib/server/session";
import { getTeamDetail } from "@/lib/server/teams/read-teams";

export const metadata: Metadata = { title: "Team" };

export default async function TeamAdminPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requirePageAdmin();
  const { id } = await params;
  if (!ZId.safeParse(id).success) notFound();
  const { db } = getWebContext();
  const [team, plans] = await Promise.all([
    getTeamDetail(db, id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
      throw error;
    }),
    listPlans(db),
  ]);
  return (
    <>
      <PageHeader title={team.name}>
        <Link href="/admin/teams" className="underline underline-offset-2">Teams</Link> · {team.plan ? `${team.plan} plan` : "No plan"} · {team.memberCount} member{team.memberCount === 1 ? "" : "s"}
      </PageHeader>
      <TeamAdminView team={team} plans={plans.map((plan) => plan.name)} selfId={admin.userId} />
    </>
  );
}
