import type { Metadata } from "next";
import { AutoRelaxToggle } from "@/components/auto-relax-toggle";
import { formatGpuTime } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const principal = await requirePageUser();
  const usage = await getUsage(getWebContext().db, principal.userId);
  const total = usage.fast.allowanceMs + usage.fast.grantedMs;
  const usedShare = total > 0 ? Math.min(100, ((usage.fast.usedMs + usage.fast.heldMs) / total) * 100) : 100;
  return (
    <>
      <PageHeader title="Account">
        {usage.plan ?? "No"} plan · period {new Date(usage.period.start).toLocaleDateString()} – {new Date(new Date(usage.period.end).getTime() - 1).toLocaleDateString()}
      </PageHeader>
      <section aria-labelledby="fast-heading" className="mb-8 flex max-w-2xl flex-col gap-3">
        <h2 id="fast-heading" className="text-lg font-medium">Fast time</h2>
        <div role="meter" aria-label="Fast time used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(usedShare)} className="h-2 overflow-hidden rounded-full bg-ink-800">
          <div className="h-full bg-accent" style={{ width: `${usedShare}%` }} />
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
          <div><dt className="text-ink-500">Remaining</dt><dd data-testid="fast-remaining">{formatGpuTime(usage.fast.remainingMs)}</dd></div>
          <div><dt className="text-ink-500">Used</dt><dd>{formatGpuTime(usage.fast.usedMs)}</dd></div>
          <div><dt className="text-ink-500">Reserved by running jobs</dt><dd>{formatGpuTime(usage.fast.heldMs)}</dd></div>
          <div><dt className="text-ink-500">Plan + granted</dt><dd>{formatGpuTime(usage.fast.allowanceMs)} + {formatGpuTime(usage.fast.grantedMs)}</dd></div>
        </dl>
        <AutoRelaxToggle initial={usage.autoRelax} relaxAllowed={usage.relaxAllowed} />
        <p className="text-sm text-ink-300">
          Relax time this period: {formatGpuTime(usage.relaxMs)} {usage.relaxAllowed ? "(free; heavy Relax use waits a little longer)" : "(your plan has no Relax mode)"}. Turbo costs 2×, Fast 1×; drafts cost less because they compute less.
        </p>
      </section>
      <section aria-labelledby="jobs-heading" className="flex flex-col gap-3">
        <h2 id="jobs-heading" className="text-lg font-medium">Recent jobs</h2>
        <div className="overflow-x-auto rounded-lg border border-ink-800">
          <table className="w-full text-left text-sm">
            <thead className="bg-ink-900 text-ink-300">
              <tr>
                <th scope="col" className="px-3 py-2 font-normal">Prompt</th>
                <th scope="col" className="px-3 py-2 font-normal">Type</th>
                <th scope="col" className="px-3 py-2 font-normal">Mode</th>
                <th scope="col" className="px-3 py-2 font-normal">Status</th>
                <th scope="col" className="px-3 py-2 font-normal">GPU</th>
                <th scope="col" className="px-3 py-2 font-normal">Charged</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-ink-800">
              {usage.recentJobs.length === 0 && (
                <tr><td colSpan={6} className="px-3 py-3 text-ink-500">No jobs yet.</td></tr>
              )}
              {usage.recentJobs.map((job) => (
                <tr key={job.id}>
                  <td className="max-w-xs truncate px-3 py-2">{job.prompt}</td>
                  <td className="px-3 py-2">{job.type}</td>
                  <td className="px-3 py-2">{job.mode} ×{job.multiplier}</td>
                  <td className="px-3 py-2">{job.status}</td>
                  <td className="px-3 py-2">{formatGpuTime(job.gpuMs)}</td>
                  <td className="px-3 py-2">{job.chargedMs === null ? "—" : formatGpuTime(job.chargedMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
