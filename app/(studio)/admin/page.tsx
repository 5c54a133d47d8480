import type { Metadata } from "next";
import { AdminUsers } from "@/components/admin-users";
import { PageHeader } from "@/components/page-header";
import { getWebContext } from "@/lib/server/context";
import { getHealth } from "@/lib/server/health";
import { requirePageAdmin } from "@/lib/server/session";
import { getStudioSettings } from "@/lib/server/settings";
import { listUsers } from "@/lib/server/users";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const admin = await requirePageAdmin();
  const { db, redis } = getWebContext();
  const [users, plans, settings, health] = await Promise.all([
    listUsers(db),
    db.plan.findMany({ orderBy: { sortOrder: "asc" }, select: { name: true } }),
    getStudioSettings(db),
    getHealth(db, redis),
  ]);
  return (
    <>
      <PageHeader title="Admin">
        Studio status: <strong data-testid="health-status">{health.status}</strong> · Postgres {health.postgres.ok ? "up" : "down"} · Redis{" "}
        {health.redis.ok ? "up" : "down"} · {health.workers.online} worker(s) online
        {health.workers.list.map((worker) => ` · ${worker.id} (${worker.provider})`).join("")}
      </PageHeader>
      <AdminUsers users={users} plans={plans.map((plan) => plan.name)} settings={settings} selfId={admin.userId} />
    </>
  );
}
