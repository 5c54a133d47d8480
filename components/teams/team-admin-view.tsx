"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TTeamDetail } from "@/lib/schemas/teams";
import { buttonClassName, Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
import { useToast } from "../ui/toast";
import { PoolFigures } from "./pool-figures";
import { TeamMembers } from "./team-members";
import { TeamPolicyEditor } from "./team-policy-editor";

const INPUT = "rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm";

function errorText(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <h2 id={id} className="text-lg font-medium">{title}</h2>
      {children}
    </section>
  );
}

/** Grant extra pool hours for this period, in a dialog. */
function GrantDialog({ team, onGranted }: { team: TTeamDetail; onGranted: (team: TTeamDetail) => void }) {
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState("1");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const hoursId = useId();
  const noteId = useId();

  function grant(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    callApi(endpoints.grantTeamFastTime, { params: { id: team.id }, body: { hours: Number(hours), ...(note.trim() && { note: note.trim() }) } })
      .then((updated) => {
        onGranted(updated);
        setOpen(false);
        setNote("");
        toast({ message: `Granted ${hours} h to ${team.name}'s pool.` });
      })
      .catch((failure: unknown) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <>
      <Button variant="secondary" className="self-start" onClick={() => setOpen(true)} disabled={team.pool === null}>Grant hours</Button>
      <Dialog open={open} onOpenChange={setOpen} title={`Grant hours to ${team.name}`} description="Extra fast time for the team's pool, this period only.">
        <form onSubmit={grant} className="flex flex-col gap-3">
          <label htmlFor={hoursId}>Hours</label>
          <input id={hoursId} type="number" min={0.001} max={1000} step="any" required value={hours} onChange={(event) => setHours(event.target.value)} className={INPUT} />
          <label htmlFor={noteId}>Note (optional, kept in the ledger and audit log)</label>
          <input id={noteId} maxLength={200} value={note} onChange={(event) => setNote(event.target.value)} className={INPUT} />
          {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-red-200">{error}</p>}
          <div className="flex justify-end gap-2">
            <DialogClose asChild><Button variant="outline">Cancel</Button></DialogClose>
            <Button type="submit" variant="primary" disabled={busy}>{busy ? "Granting…" : "Grant"}</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

/** Deleting asks first, and says why it may be refused. */
function DeleteTeam({ team }: { team: TTeamDetail }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();

  function remove() {
    setBusy(true);
    setError(null);
    callApi(endpoints.deleteTeam, { params: { id: team.id } })
      .then(() => {
        toast({ message: `Deleted ${team.name}.` });
        router.push("/admin/teams");
      })
      .catch((failure: unknown) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <>
      <Button variant="danger" className="self-start" onClick={() => setOpen(true)}>Delete team</Button>
      <Dialog open={open} onOpenChange={setOpen} title={`Delete ${team.name}?`}
        description="Members keep their accounts and images and go back to their own fast time. The team's pool, house styles, team folders and policy terms are deleted. Not possible while jobs on its pool are still queued or running.">
        {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-red-200">{error}</p>}
        <div className="flex justify-end gap-2">
          <DialogClose asChild><Button variant="outline">Keep it</Button></DialogClose>
          <Button variant="danger" onClick={remove} disabled={busy}>{busy ? "Deleting…" : "Delete team"}</Button>
        </div>
      </Dialog>
    </>
  );
}

/** An admin's view of one team: name and plan, pool, members, policy terms, house style link, delete. */
export function TeamAdminView(props: { team: TTeamDetail; plans: string[]; selfId: string }) {
  const [team, setTeam] = useState(props.team);
  const [name, setName] = useState(props.team.name);
  const [plan, setPlan] = useState(props.team.plan ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const nameId = useId();
  const planId = useId();
  const isDirty = name.trim() !== team.name || plan !== (team.plan ?? "");

  function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { ...(name.trim() !== team.name && { name }), ...(plan !== (team.plan ?? "") && { plan: plan === "" ? null : plan }) };
    callApi(endpoints.updateTeam, { params: { id: team.id }, body })
      .then((updated) => {
        setTeam(updated);
        setName(updated.name);
        setPlan(updated.plan ?? "");
        toast({ message: `Saved ${updated.name}.` });
      })
      .catch((failure: unknown) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <div className="flex flex-col gap-10">
      <Section id="team-settings-heading" title="Name and plan">
        <form onSubmit={save} className="flex max-w-3xl flex-wrap items-end gap-3">
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor={nameId} className="text-sm">Team name</label>
            <input id={nameId} required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} className={`${INPUT} w-64 max-w-full`} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={planId} className="text-sm">Plan</label>
            <select id={planId} value={plan} onChange={(event) => setPlan(event.target.value)} className={INPUT}>
              <option value="">No plan (no pool)</option>
              {props.plans.map((option) => <option key={option} value={option}>{option}</option>)}
            </select>
          </div>
          <Button type="submit" variant="primary" disabled={busy || !isDirty}>{busy ? "Saving…" : "Save"}</Button>
        </form>
        <p className="max-w-2xl text-xs text-ink-300">A plan with more fast time raises the pool at once; a plan with less applies from the next month, so time already spent is never owed.</p>
        {error && <p role="alert" className="max-w-2xl rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      </Section>

      <Section id="team-pool-heading" title="Pool">
        <PoolFigures pool={team.pool} label={`${team.name}'s pool used`} />
        <GrantDialog team={team} onGranted={setTeam} />
      </Section>

      <Section id="team-members-heading" title={`Members (${team.memberCount})`}>
        <TeamMembers teamId={team.id} teamName={team.name} members={team.members} selfId={props.selfId} isAdmin
          onChange={(members) => setTeam((current) => ({ ...current, members, memberCount: members.length }))} />
      </Section>

      <Section id="team-policy-heading" title="Prompt policy terms">
        <TeamPolicyEditor team={team} onSaved={setTeam} />
      </Section>

      <Section id="team-style-heading" title="House style">
        <p className="max-w-2xl text-sm text-ink-300">The style a member&apos;s <code>--p</code> means: pooled from the members&apos; profiles and moodboards.</p>
        <Link href={`/admin/teams/${team.id}/style`} className={buttonClassName({ variant: "outline", className: "self-start" })}>House style</Link>
      </Section>

      <Section id="team-delete-heading" title="Delete">
        <DeleteTeam team={team} />
      </Section>
    </div>
  );
}
