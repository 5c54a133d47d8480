"use client";

import { useId, useState, type FormEvent } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TTeamMember, TTeamRole } from "@/lib/schemas/teams";
import { Button } from "../ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";
import { useToast } from "../ui/toast";

const INPUT = "rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm";

/**
 * A team's members: add by email, change roles, remove. Used by admins (the
 * team page) and by the team's owners (Account); the server decides who may
 * (an owner never changes their own seat), this only hides what it refuses.
 */
export function TeamMembers(props: { teamId: string; teamName: string; members: TTeamMember[]; selfId: string; isAdmin: boolean; onChange?: (members: TTeamMember[]) => void }) {
  const [members, setMembers] = useState(props.members);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TTeamRole>("member");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const emailId = useId();
  const roleId = useId();

  function changed(next: TTeamMember[]) {
    setMembers(next);
    props.onChange?.(next);
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  function add(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const { members: next } = await callApi(endpoints.addTeamMember, { params: { id: props.teamId }, body: { email, role } });
      changed(next);
      toast({ message: `Added ${email} to ${props.teamName}.` });
      setEmail("");
    });
  }

  function setMemberRole(member: TTeamMember, next: TTeamRole) {
    void run(async () => {
      const { members: updated } = await callApi(endpoints.updateTeamMember, { params: { id: props.teamId, userId: member.userId }, body: { role: next } });
      changed(updated);
      toast({ message: `${member.email} is now ${next === "owner" ? "an owner" : "a member"}.` });
    });
  }

  function remove(member: TTeamMember) {
    void run(async () => {
      await callApi(endpoints.removeTeamMember, { params: { id: props.teamId, userId: member.userId } });
      changed(members.filter((row) => row.userId !== member.userId));
      toast({ message: `Removed ${member.email} from ${props.teamName}.` });
    });
  }

  return (
    <div className="flex max-w-3xl flex-col gap-3">
      <Table aria-label={`Members of ${props.teamName}`}>
        <TableHead>
          <TableRow>
            <TableHeader>Email</TableHeader>
            <TableHeader>Name</TableHeader>
            <TableHeader>Role</TableHeader>
            <TableHeader>Added</TableHeader>
            <TableHeader><span className="sr-only">Actions</span></TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {members.length === 0 && (
            <TableRow><TableCell colSpan={5} className="py-3 text-ink-300">No members yet. Add someone by their email below.</TableCell></TableRow>
          )}
          {members.map((member) => {
            const ownSeat = !props.isAdmin && member.userId === props.selfId;
            return (
              <TableRow key={member.userId}>
                <TableCell>{member.email}</TableCell>
                <TableCell className="text-ink-300">{member.name}</TableCell>
                <TableCell>
                  <select aria-label={`Role of ${member.email}`} value={member.role} disabled={busy || ownSeat} className={INPUT}
                    onChange={(event) => setMemberRole(member, event.target.value as TTeamRole)}>
                    <option value="member">member</option>
                    <option value="owner">owner</option>
                  </select>
                </TableCell>
                <TableCell className="text-ink-300">{new Date(member.addedAt).toLocaleDateString()}</TableCell>
                <TableCell>
                  {!ownSeat && (
                    <Button size="xs" variant="outline" disabled={busy} onClick={() => remove(member)} aria-label={`Remove ${member.email}`}>
                      Remove
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <form onSubmit={add} className="flex flex-wrap items-end gap-3" aria-label="Add a member">
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={emailId} className="text-sm">Email of the person to add</label>
          <input id={emailId} type="email" required value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" className={`${INPUT} w-72 max-w-full`} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={roleId} className="text-sm">Role</label>
          <select id={roleId} value={role} onChange={(event) => setRole(event.target.value as TTeamRole)} className={INPUT}>
            <option value="member">member</option>
            <option value="owner">owner</option>
          </select>
        </div>
        <Button type="submit" variant="secondary" disabled={busy || email.trim() === ""}>Add member</Button>
      </form>
      <p className="text-xs text-ink-300">A person belongs to one team at a time. They need an account here before they can be added.</p>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
    </div>
  );
}
