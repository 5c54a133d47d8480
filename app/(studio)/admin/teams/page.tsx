import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { TeamsAdminList } from "@/components/teams/teams-admin-list";
import { getWebContext } from "@/lib/server/context";
import { listPlans } from "@/lib/server/plans-admin";
import { requirePageAdmin } from "@/lib/server/session";
import { listTeams } from "@/lib/server/teams/read-teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsAdminPage() {
  await requirePageAdmin();
  const { db } = getWebContext();
  const [teams, plans] = await Promise.all([listTeams(db), listPlans(db)]);
  return (
    <>
      <PageHeader title="Teams">
        <Link href="/admin" className="underline underline-offset-2">Admin</Link> · A team shares a fast-time pool (from its plan), team folders, a house style and its own
        prompt-policy terms. Each person belongs to one team at most; a team&apos;s owners can add and remove its members from their Account page.
      </PageHeader>
      <TeamsAdminList teams={teams} plans={plans.map((plan) => plan.name)} />
    </>
  );
}
