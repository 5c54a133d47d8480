"use client";

import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { formatGpuTime } from "@/components/format";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TTeamSummary } from "@/lib/schemas/teams";
import { Button } from "../ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";
import { useToast } from "../ui/toast";

const INPUT = "rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm";

/** The admin's list of teams and the form that creates one. */
export function TeamsAdminList(props: { teams: TTeamSummary[]; plans: string[] }) {
  const [teams, setTeams] = useState(props.teams);
  const [name, setName] = useState("");
  const [plan, setPlan] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const nameId = useId();
  const planId = useId();

  function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    callApi(endpoints.createTeam, { body: { name, plan: plan === "" ? null : plan } })
      .then((team) => {
        setTeams((current) => [...current, team].sort((a, b) => a.name.localeCompare(b.name)));
        toast({ message: `Created ${team.name}.` });
        setName("");
      })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="create-team-heading" className="flex max-w-3xl flex-col gap-3">
        <h2 id="create-team-heading" className="text-lg font-medium">Create a team</h2>
        <form onSubmit={create} className="flex flex-wrap items-end gap-3">
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor={nameId} className="text-sm">Team name</label>
            <input id={nameId} required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} className={`${INPUT} w-64 max-w-full`} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={planId} className="text-sm">Plan (the pool&apos;s monthly fast time)</label>
            <select id={planId} value={plan} onChange={(event) => setPlan(event.target.value)} className={INPUT}>
              <option value="">No plan (no pool)</option>
              {props.plans.map((option) => <option key={option} value={option}>{option}</option>)}
            </select>
          </div>
          <Button type="submit" variant="primary" disabled={busy || name.trim() === ""}>{busy ? "Creating…" : "Create team"}</Button>
        </form>
        {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      </section>
      <section aria-labelledby="teams-heading" className="flex flex-col gap-3">
        <h2 id="teams-heading" className="text-lg font-medium">Teams ({teams.length})</h2>
        <Table aria-label="Teams" className="max-w-4xl">
          <TableHead>
            <TableRow>
              <TableHeader>Team</TableHeader>
              <TableHeader>Plan</TableHeader>
              <TableHeader>Members</TableHeader>
              <TableHeader>Pool left</TableHeader>
              <TableHeader>Pool used</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {teams.length === 0 && (
              <TableRow><TableCell colSpan={5} className="py-3 text-ink-300">No teams yet.</TableCell></TableRow>
            )}
            {teams.map((team) => (
              <TableRow key={team.id}>
                <TableCell><Link href={`/admin/teams/${team.id}`} className="underline underline-offset-2 hover:text-white">{team.name}</Link></TableCell>
                <TableCell>{team.plan ?? "—"}</TableCell>
                <TableCell>{team.memberCount}</TableCell>
                <TableCell>{team.pool ? formatGpuTime(team.pool.remainingMs) : "—"}</TableCell>
                <TableCell>{team.pool ? formatGpuTime(team.pool.usedMs) : "—"}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
