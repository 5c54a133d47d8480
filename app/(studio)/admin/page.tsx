import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AdminUsers } from "@/components/admin-users";
import { AuditLog } from "@/components/admin/audit-log";
import { CapacityPanel } from "@/components/admin/capacity-panel";
import { ModerationPolicyEditor } from "@/components/admin/moderation-policy-editor";
import { PlansEditor } from "@/components/admin/plans-editor";
import { UsageChart } from "@/components/admin/usage-chart";
import { UserUsageTable } from "@/components/admin/user-usage-table";
import { formatGpuTime } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCapacityEstimate } from "@/lib/server/accounting/capacity";
import { getAdminDashboard } from "@/lib/server/accounting/dashboard";
import { listAuditEvents } from "@/lib/server/audit/list-events";
import { getWebContext } from "@/lib/server/context";
import { getHealth } from "@/lib/server/health";
import { getPromptPolicy } from "@/lib/server/moderation/prompt-policy";
import { requirePageAdmin } from "@/lib/server/session";
import { getStudioSettings } from "@/lib/server/settings";
import { listPlans } from "@/lib/server/plans-admin";
import { listUsers } from "@/lib/server/users";

export const metadata: Metadata = { title: "Admin" };

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replaceAll(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <h2 id={id} className="text-lg font-medium">{title}</h2>
      {children}
    </section>
  );
}

export default async function AdminPage() {
  const admin = await requirePageAdmin();
  const { db, redis } = getWebContext();
  const [users, plans, settings, health, dashboard, policy, audit, capacity] = await Promise.all([
    listUsers(db),
    listPlans(db),
    getStudioSettings(db),
    getHealth(db, redis),
    getAdminDashboard(db),
    getPromptPolicy(db),
    listAuditEvents(db, {}),
    getCapacityEstimate(db),
  ]);
  const planNames = plans.map((plan) => plan.name);
  return (
    <div className="flex flex-col gap-10">
      <PageHeader title="Admin">
        Studio status: <strong data-testid="health-status">{health.status}</strong> · Postgres {health.postgres.ok ? "up" : "down"} · Redis{" "}
        {health.redis.ok ? "up" : "down"} · {health.workers.online} worker(s) online
      </PageHeader>

      <Section title="GPU time">
        <dl className="grid max-w-3xl grid-cols-3 gap-4 text-sm" data-testid="gpu-totals">
          {(["today", "week", "month"] as const).map((span) => (
            <div key={span} className="rounded-lg border border-ink-800 p-3">
              <dt className="text-ink-300">{span === "today" ? "Today" : span === "week" ? "Last 7 days" : "Last 30 days"}</dt>
              <dd className="text-lg">{formatGpuTime(Object.values(dashboard.totals[span]).reduce((sum, value) => sum + value, 0))}</dd>
              <dd className="text-xs text-ink-300">
                turbo {formatGpuTime(dashboard.totals[span].turbo ?? 0)} · fast {formatGpuTime(dashboard.totals[span].fast ?? 0)} · relax {formatGpuTime(dashboard.totals[span].relax ?? 0)}
              </dd>
            </div>
          ))}
        </dl>
        <UsageChart daily={dashboard.daily} />
      </Section>

      <Section title="Queue">
        <Table className="max-w-3xl" aria-label="Queue by mode">
          <TableHead>
            <TableRow>{["Mode", "Waiting", "Running", "Wait p50 (24 h)", "Wait p95 (24 h)"].map((h) => <TableHeader key={h}>{h}</TableHeader>)}</TableRow>
          </TableHead>
          <TableBody>
            {dashboard.queue.map((row) => (
              <TableRow key={row.mode}>
                <TableCell className="capitalize">{row.mode}</TableCell>
                <TableCell>{row.queued}</TableCell>
                <TableCell>{row.running}</TableCell>
                <TableCell>{row.waitP50Ms === null ? "—" : formatGpuTime(row.waitP50Ms)}</TableCell>
                <TableCell>{row.waitP95Ms === null ? "—" : formatGpuTime(row.waitP95Ms)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>

      <Section title="Capacity">
        <CapacityPanel estimate={capacity} />
      </Section>

      <Section title="Workers">
        {dashboard.workers.length === 0 ? (
          <p className="text-sm text-ink-300">No worker is online. Start one with `npm run worker` (or `npm start`).</p>
        ) : (
          <Table className="max-w-4xl" aria-label="Workers">
            <TableHead>
              <TableRow>{["Worker", "Host", "Provider", "Device", "Models", "Last heartbeat", "Attempts run", "Busy (1 h)"].map((h) => <TableHeader key={h}>{h}</TableHeader>)}</TableRow>
            </TableHead>
            <TableBody>
              {dashboard.workers.map((worker) => (
                <TableRow key={worker.id}>
                  <TableCell>{worker.id}</TableCell>
                  <TableCell>{worker.host}</TableCell>
                  <TableCell>{worker.provider}</TableCell>
                  <TableCell>{worker.device === null ? "—" : `GPU ${worker.device}`}</TableCell>
                  <TableCell>{worker.models.join(", ") || "—"}</TableCell>
                  <TableCell>{new Date(worker.lastSeenAt).toLocaleTimeString()}</TableCell>
                  <TableCell>{worker.jobsDone}</TableCell>
                  <TableCell>{worker.busyPercent}%</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>

      <Section title="Plans">
        <PlansEditor plans={plans} />
      </Section>

      <Section title="Usage by user">
        <UserUsageTable users={dashboard.users} selfId={admin.userId} />
      </Section>

      <Section title="Accounts">
        <AdminUsers users={users} plans={planNames} settings={settings} selfId={admin.userId} />
      </Section>

      <Section title="Teams">
        <p className="max-w-2xl text-sm text-ink-300">
          Shared fast-time pools, members and owners, and each team&apos;s own prompt-policy terms.{" "}
          <Link href="/admin/teams" className="underline underline-offset-2">Manage teams</Link>
        </p>
      </Section>

      <Section title="Prompt policy">
        <ModerationPolicyEditor policy={policy} />
      </Section>

      <Section title="Audit log">
        <AuditLog initial={audit} />
      </Section>
    </div>
  );
}
