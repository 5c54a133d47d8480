import type { Metadata } from "next";
import { AccountSecurity } from "@/components/account-security";
import { AutoRelaxToggle } from "@/components/auto-relax-toggle";
import { formatGpuTime } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { PoolFigures } from "@/components/teams/pool-figures";
import { TeamMembers } from "@/components/teams/team-members";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { JOB_TYPE_LABELS } from "@/lib/jobs/registry";
import { getUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";
import { requirePageUser } from "@/lib/server/session";
import { getMyTeam } from "@/lib/server/teams/read-teams";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const principal = await requirePageUser();
  const { db } = getWebContext();
  const [usage, myTeam] = await Promise.all([getUsage(db, principal.userId), getMyTeam(db, principal.userId)]);
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
          <div><dt className="text-ink-300">Remaining</dt><dd data-testid="fast-remaining">{formatGpuTime(usage.fast.remainingMs)}</dd></div>
          <div><dt className="text-ink-300">Used</dt><dd>{formatGpuTime(usage.fast.usedMs)}</dd></div>
          <div><dt className="text-ink-300">Reserved by running jobs</dt><dd>{formatGpuTime(usage.fast.heldMs)}</dd></div>
          <div><dt className="text-ink-300">Plan + granted</dt><dd>{formatGpuTime(usage.fast.allowanceMs)} + {formatGpuTime(usage.fast.grantedMs)}</dd></div>
        </dl>
        <AutoRelaxToggle initial={usage.autoRelax} relaxAllowed={usage.relaxAllowed} />
        <p className="text-sm text-ink-300">
          Relax time this period: {formatGpuTime(usage.relaxMs)} {usage.relaxAllowed ? "(free; heavy Relax use waits a little longer)" : "(your plan has no Relax mode)"}. Turbo costs 2×, Fast 1×; drafts cost less because they compute less.
        </p>
      </section>
      {myTeam && (
        <section aria-labelledby="team-heading" className="mb-8 flex flex-col gap-3">
          <h2 id="team-heading" className="text-lg font-medium">Your team</h2>
          <p className="max-w-2xl text-sm text-ink-300">
            <strong className="text-ink-100" data-testid="my-team-name">{myTeam.team.name}</strong> · you are {myTeam.role === "owner" ? "an owner" : "a member"} ·{" "}
            {myTeam.team.memberCount} member{myTeam.team.memberCount === 1 ? "" : "s"}
            {myTeam.team.pool ? ". Your jobs use the team pool first, then your own fast time." : "."}
          </p>
          <PoolFigures pool={myTeam.team.pool} label="Team pool used" />
          {myTeam.members && (
            <>
              <h3 className="mt-2 font-medium">Members</h3>
              <TeamMembers teamId={myTeam.team.id} teamName={myTeam.team.name} members={myTeam.members} selfId={principal.userId} isAdmin={false} />
            </>
          )}
        </section>
      )}
      <section aria-labelledby="jobs-heading" className="flex flex-col gap-3">
        <h2 id="jobs-heading" className="text-lg font-medium">Recent jobs</h2>
        <Table aria-labelledby="jobs-heading">
          <TableHead>
            <TableRow>
              <TableHeader>When (UTC)</TableHeader>
              <TableHeader>Prompt</TableHeader>
              <TableHeader>Type</TableHeader>
              <TableHeader>Mode</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>GPU</TableHeader>
              <TableHeader>Charged</TableHeader>
              <TableHeader>Paid from</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {usage.recentJobs.length === 0 && (
              <TableRow><TableCell colSpan={8} className="py-3 text-ink-300">No jobs yet.</TableCell></TableRow>
            )}
            {usage.recentJobs.map((job) => (
              <TableRow key={job.id}>
                <TableCell><time dateTime={job.createdAt}>{job.createdAt.slice(0, 16).replace("T", " ")}</time></TableCell>
                <TableCell className="max-w-xs truncate">{job.prompt}</TableCell>
                <TableCell>{(JOB_TYPE_LABELS as Record<string, string>)[job.type] ?? job.type}</TableCell>
                <TableCell>{job.mode} ×{job.multiplier}</TableCell>
                <TableCell>{job.status}</TableCell>
                <TableCell>{formatGpuTime(job.gpuMs)}</TableCell>
                <TableCell>{job.chargedMs === null ? "—" : formatGpuTime(job.chargedMs)}</TableCell>
                <TableCell>{job.fundedBy === "team" ? "Team pool" : job.fundedBy === "own" ? "Your time" : "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
      <AccountSecurity />
    </>
  );
}
