"use client";

import { useMemo, useState } from "react";
import { apiUrl, callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { formatGpuTime } from "../format";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";

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

/** Per-user usage with search, CSV export and the admin actions (grant hours, disable); plans are changed in the Accounts table. */
export function UserUsageTable({ users: initial, selfId }: { users: UserRow[]; selfId: string }) {
  const [users, setUsers] = useState(initial);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  /** The user the "Grant hours" dialog is open for. */
  const [granting, setGranting] = useState<UserRow | null>(null);
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

  const grant = (user: UserRow, hours: number) => {
    void act(user.id, async () => {
      const usage = await callApi(endpoints.grantFastTime, { params: { id: user.id }, body: { hours } });
      return { remainingMs: usage.fast.remainingMs };
    });
  };
  const update = (user: UserRow, body: { plan?: string; disabled?: boolean }) =>
    void act(user.id, async () => {
      const updated = await callApi(endpoints.updateUser, { params: { id: user.id }, body });
      return { plan: updated.plan, disabled: updated.disabled };
    });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor="user-search">Search users</label>
        <input id="user-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search by email" className="w-64 rounded-lg border border-ink-700 bg-ink-900 px-3 py-1.5 text-sm" />
        <Button asChild variant="outline">
          <a href={apiUrl(endpoints.adminUsage, { query: { groupBy: "user", format: "csv" } })} download>Export usage (CSV)</a>
        </Button>
      </div>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      <Table aria-label="Usage by user">
        <TableHead>
          <TableRow>
            {["Email", "Plan", "Jobs (30 d)", "Charged (30 d)", "Average charge by type", "Fast left", "Actions"].map((heading) => (
              <TableHeader key={heading}>{heading}</TableHeader>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((user) => (
            <TableRow key={user.id} className={user.disabled ? "text-ink-300" : undefined}>
              <TableCell>{user.email}{user.disabled && " (disabled)"}</TableCell>
              {/* The plan is changed in one place, the Accounts table below; here it is context for the figures. */}
              <TableCell className="whitespace-nowrap">{user.plan ?? "none"}</TableCell>
              <TableCell>{user.jobs}</TableCell>
              <TableCell className="whitespace-nowrap">{formatGpuTime(user.chargedMs)}</TableCell>
              <TableCell className="text-xs text-ink-300">
                {Object.entries(user.averageChargeByType).map(([type, ms]) => `${type} ${formatGpuTime(ms)}`).join(" · ") || "—"}
              </TableCell>
              <TableCell className="whitespace-nowrap">{user.remainingMs === null ? "—" : formatGpuTime(user.remainingMs)}</TableCell>
              <TableCell>
                <div className="flex gap-1">
                  <Button variant="outline" size="xs" onClick={() => setGranting(user)}>Grant hours</Button>
                  {user.id !== selfId && (
                    <Button variant="outline" size="xs" onClick={() => update(user, { disabled: !user.disabled })}>
                      {user.disabled ? "Enable" : "Disable"}
                    </Button>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Dialog
        open={granting !== null}
        onOpenChange={(open) => !open && setGranting(null)}
        title="Grant fast hours"
        description={granting ? `Extra fast hours for ${granting.email}, this period only.` : undefined}
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            const hours = Number(new FormData(event.currentTarget).get("hours"));
            if (granting) grant(granting, hours);
            setGranting(null);
          }}
        >
          <label className="flex flex-col gap-1 text-ink-300">
            Hours
            <input name="hours" type="number" required min={0.1} max={1000} step={0.1} defaultValue={1} autoFocus className="w-32 rounded-md border border-ink-700 bg-ink-950 px-2 py-1 text-ink-100" />
          </label>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary">Grant</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
