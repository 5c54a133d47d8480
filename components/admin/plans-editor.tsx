"use client";

import { useState } from "react";
import type { TPlan } from "@/lib/schemas/usage";
import { callApi } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/contract";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";

const NUMBER_FIELDS = [
  ["fastHours", "Fast h / month", 0.1],
  ["concurrentJobs", "Running", 1],
  ["queuedJobs", "Waiting", 1],
  ["maxRepeat", "Max --r", 1],
  ["priceUsdPerMonth", "$ / month", 1],
] as const;
type TNumberField = (typeof NUMBER_FIELDS)[number][0];
type TChanges = BodyInput<typeof endpoints.updatePlan>;

const LABELS: Record<TNumberField | "relaxAllowed", string> = {
  ...(Object.fromEntries(NUMBER_FIELDS.map(([field, label]) => [field, label])) as Record<TNumberField, string>),
  relaxAllowed: "Relax",
};

function describe(plan: TPlan, changes: TChanges): string[] {
  return Object.entries(changes).map(([field, value]) => {
    const label = LABELS[field as keyof typeof LABELS];
    const before = plan[field as keyof TPlan];
    return typeof value === "boolean" ? `${label}: ${before ? "on" : "off"} → ${value ? "on" : "off"}` : `${label}: ${String(before)} → ${String(value)}`;
  });
}

/**
 * Plans, edited in place: a row's changes are kept as typed until its Save,
 * which shows what will change and asks before writing (a plan edit reaches
 * every user on it).
 */
export function PlansEditor({ plans: initial }: { plans: TPlan[] }) {
  const [plans, setPlans] = useState(initial);
  const [edits, setEdits] = useState<Record<string, TChanges>>({});
  const [confirming, setConfirming] = useState<TPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  function edit(plan: TPlan, field: TNumberField | "relaxAllowed", value: number | boolean) {
    setSaved(null);
    setEdits((current) => {
      const next: TChanges = { ...current[plan.id], [field]: value };
      if (plan[field] === value) delete next[field];
      return { ...current, [plan.id]: next };
    });
  }

  async function save(plan: TPlan) {
    const changes = edits[plan.id];
    if (!changes) return;
    setError(null);
    try {
      const updated = await callApi(endpoints.updatePlan, { params: { id: plan.id }, body: changes });
      setPlans((current) => current.map((existing) => (existing.id === updated.id ? updated : existing)));
      setEdits((current) => ({ ...current, [plan.id]: {} }));
      setSaved(`${plan.name} saved.`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setConfirming(null);
    }
  }

  const pending = confirming ? describe(confirming, edits[confirming.id] ?? {}) : [];
  return (
    <div className="flex flex-col gap-2">
      {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
      {saved && <p role="status" className="text-sm text-emerald-300">{saved}</p>}
      <Table className="max-w-5xl" aria-label="Plans">
        <TableHead>
          <TableRow>
            <TableHeader>Plan</TableHeader>
            {NUMBER_FIELDS.map(([, label]) => <TableHeader key={label} className="whitespace-nowrap">{label}</TableHeader>)}
            <TableHeader>Relax</TableHeader>
            <TableHeader><span className="sr-only">Save</span></TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {plans.map((plan) => {
            const changes = edits[plan.id] ?? {};
            const dirty = Object.keys(changes).length > 0;
            return (
              <TableRow key={plan.id}>
                <TableCell className="whitespace-nowrap">{plan.name}</TableCell>
                {NUMBER_FIELDS.map(([field, label, step]) => (
                  <TableCell key={field}>
                    <input type="number" aria-label={`${label} of ${plan.name}`} value={changes[field] ?? plan[field]} step={step} min={0}
                      onChange={(event) => edit(plan, field, Number(event.target.value))}
                      className="w-24 rounded-md border border-ink-700 bg-ink-900 px-2 py-1" />
                  </TableCell>
                ))}
                <TableCell>
                  <input type="checkbox" aria-label={`Relax on ${plan.name}`} checked={changes.relaxAllowed ?? plan.relaxAllowed} onChange={(event) => edit(plan, "relaxAllowed", event.target.checked)} />
                </TableCell>
                <TableCell>
                  <Button size="xs" variant={dirty ? "primary" : "outline"} disabled={!dirty} onClick={() => setConfirming(plan)} aria-label={`Save ${plan.name}`}>Save</Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <p className="text-xs text-ink-300">Fast hours apply from each user&apos;s next monthly period; caps apply at once.</p>
      <Dialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)} title={`Save the ${confirming?.name ?? ""} plan?`}
        description="Every user on this plan gets the new values.">
        <ul className="flex flex-col gap-1 text-sm" aria-label="Changes">
          {pending.map((line) => <li key={line}>{line}</li>)}
        </ul>
        <div className="mt-4 flex justify-end gap-2">
          <DialogClose asChild><Button variant="ghost">Cancel</Button></DialogClose>
          <Button variant="primary" onClick={() => confirming && void save(confirming)}>Save changes</Button>
        </div>
      </Dialog>
    </div>
  );
}
