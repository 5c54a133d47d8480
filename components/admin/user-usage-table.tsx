"use client";

import { useMemo, useState } from "react";
import { apiFetch } from "../api-fetch";
import { formatGpuTime } from "../format";

interface UserRow {
  id: string;
  email: string;
  plan: string | null;
  disabled: boolean;
  jobs: number;
  chargedMs: number;
  remainingMs: number | null;
  averageChargeByType: Record<string, number>;
}

/** Per-user usage with search, CSV export and the admin actions (grant hours, change plan, disable). */
export function UserUsageTable({ users: initial, plans, selfId }: { users: UserRow[]; plans: string[]; selfId: string }) {
  const [users, setUsers] = useState(initial);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const shown = useMemo(() => users.filter((user) => user.email.toLowerCase().includes(query.trim().toLowerCase())), [users, query]);

  async function act(userId: string, action: () => Promise<Partial<UserRow>>) {
    setError(null);
    try {
      const changes = await action();
      setUsers((current) => current.map((user) => (user.id === userId ? { ...user, ...changes } : user)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const grant = (user: UserRow) => {
    const answer = window.prompt(`Grant how many extra fast hours to ${user.email} this period?`, "1");
    if (!answer) return;
    void act(user.id, async () => {
      const usage = await apiFetch<{ fast: { remainingMs: number } }>(`/api/v1/admin/users/${user.id}/grant`, { method: "POST", body: { hours: Number(answer) } });
      return { remainingMs: usage.fast.remainingMs };
    });
  };
  const update = (user: UserRow, body: { plan?: string; disabled?: boolean }) =>
    void act(user.id, async () => {
      const updated = await apiFetch<{ plan: string | null; disabled: boolean }>(`/api/v1/admin/users/${user.id}`, { method: "PATCH", body });
      return { plan: updated.plan, disabled: updated.disabled };
    });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor="user-search">Search users</label>
        <input id="user-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search by email" className="w-64 rounded-lg border border-ink-700 bg-ink-900 px-3 py-1.5 text-sm" />
        <a href="/api/v1/admin/usage?groupBy=user&format=csv" download className="rounded-md border border-ink-700 px-3 py-1.5 text-sm hover:bg-ink-800">Export CSV</a>
      </div>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      <div className="overflow-x-auto rounded-lg border border-ink-800">
        <table className="w-full text-left text-sm" aria-label="Usage by user">
          <thead className="bg-ink-900 text-ink-300">
            <tr>
              {["Email", "Plan", "Jobs (30 d)", "Charged (30 d)", "Average charge by type", "Fast left", "Actions"].map((heading) => (
                <th key={heading} scope="col" className="px-3 py-2 font-normal">{heading}</th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-ink-800">
            {shown.map((user) => (
              <tr key={user.id} className={user.disabled ? "opacity-50" : undefined}>
                <td className="px-3 py-2">{user.email}{user.disabled && " (disabled)"}</td>
                <td className="px-3 py-2">
                  <select aria-label={`Plan of ${user.email}`} value={user.plan ?? ""} onChange={(event) => update(user, { plan: event.target.value })} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
                    {user.plan === null && <option value="">none</option>}
                    {plans.map((plan) => <option key={plan} value={plan}>{plan}</option>)}
                  </select>
                </td>
                <td className="px-3 py-2">{user.jobs}</td>
                <td className="px-3 py-2">{formatGpuTime(user.chargedMs)}</td>
                <td className="px-3 py-2 text-xs text-ink-300">
                  {Object.entries(user.averageChargeByType).map(([type, ms]) => `${type} ${formatGpuTime(ms)}`).join(" · ") || "—"}
                </td>
                <td className="px-3 py-2">{user.remainingMs === null ? "—" : formatGpuTime(user.remainingMs)}</td>
                <td className="flex gap-1 px-3 py-2">
                  <button type="button" onClick={() => grant(user)} className="rounded-md border border-ink-700 px-2 py-1 text-xs hover:bg-ink-800">Grant hours</button>
                  {user.id !== selfId && (
                    <button type="button" onClick={() => update(user, { disabled: !user.disabled })} className="rounded-md border border-ink-700 px-2 py-1 text-xs hover:bg-ink-800">
                      {user.disabled ? "Enable" : "Disable"}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
