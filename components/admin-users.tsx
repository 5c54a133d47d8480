"use client";

import { useState } from "react";
import type { TAdminUser, TStudioSettings } from "@/lib/schemas/admin";
import { callApi } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/contract";
import { endpoints } from "@/lib/api/endpoints";
import { Switch } from "./ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "./ui/table";

export function AdminUsers(props: { users: TAdminUser[]; plans: string[]; settings: TStudioSettings; selfId: string }) {
  const [users, setUsers] = useState(props.users);
  const [settings, setSettings] = useState(props.settings);
  const [error, setError] = useState<string | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setError(null);
    try {
      return await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return undefined;
    }
  }

  async function update(userId: string, changes: BodyInput<typeof endpoints.updateUser>) {
    const updated = await run(() => callApi(endpoints.updateUser, { params: { id: userId }, body: changes }));
    if (updated) setUsers((current) => current.map((user) => (user.id === updated.id ? updated : user)));
  }

  async function toggleSignup() {
    const next = await run(() => callApi(endpoints.updateStudioSettings, { body: { signupOpen: !settings.signupOpen } }));
    if (next) setSettings(next);
  }

  return (
    <div className="flex flex-col gap-8">
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      <section aria-labelledby="signup-heading" className="flex max-w-2xl items-center justify-between gap-4 rounded-lg border border-ink-800 p-4">
        <div>
          <h2 id="signup-heading" className="font-medium">Open sign-up</h2>
          <p className="text-sm text-ink-300">
            {settings.signupOpen ? "Anyone who can reach the studio can create an account." : "Only admins (and the CLI) can create accounts."}
          </p>
        </div>
        <Switch checked={settings.signupOpen} onCheckedChange={() => void toggleSignup()} aria-labelledby="signup-heading" />
      </section>
      <section aria-labelledby="users-heading" className="flex flex-col gap-3">
        <h2 id="users-heading" className="text-lg font-medium">Users ({users.length})</h2>
        <Table aria-label="Accounts">
          <TableHead>
            <TableRow>
              <TableHeader>Email</TableHeader>
              <TableHeader>Role</TableHeader>
              <TableHeader>Plan</TableHeader>
              <TableHeader>Joined</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {users.map((user) => (
              <TableRow key={user.id}>
                <TableCell>{user.email}</TableCell>
                <TableCell>
                  <select aria-label={`Role of ${user.email}`} value={user.role} disabled={user.id === props.selfId}
                    onChange={(event) => update(user.id, { role: event.target.value as TAdminUser["role"] })} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
                    <option value="user">user</option>
                    <option value="admin">admin</option>
                  </select>
                </TableCell>
                <TableCell>
                  <select aria-label={`Plan of ${user.email}`} value={user.plan ?? ""} onChange={(event) => update(user.id, { plan: event.target.value })}
                    className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
                    {user.plan === null && <option value="">none</option>}
                    {props.plans.map((plan) => <option key={plan} value={plan}>{plan}</option>)}
                  </select>
                </TableCell>
                <TableCell className="text-ink-300">{new Date(user.createdAt).toLocaleDateString()}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
