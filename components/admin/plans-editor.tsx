"use client";

import { useState } from "react";
import type { TPlan } from "@/lib/schemas/usage";
import { callApi } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/contract";
import { endpoints } from "@/lib/api/endpoints";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";

const NUMBER_FIELDS = [
  ["fastHours", "Fast h / month", 0.1],
  ["concurrentJobs", "Running", 1],
  ["queuedJobs", "Waiting", 1],
  ["maxRepeat", "Max --r", 1],
  ["priceUsdPerMonth", "$ / month", 1],
] as const;

/** Plans, editable in place; each change is saved when the field loses focus. */
export function PlansEditor({ plans: initial }: { plans: TPlan[] }) {
  const [plans, setPlans] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  async function save(plan: TPlan, changes: BodyInput<typeof endpoints.updatePlan>) {
    setError(null);
    try {
      const updated = await callApi(endpoints.updatePlan, { params: { id: plan.id }, body: changes });
      setPlans((current) => current.map((existing) => (existing.id === updated.id ? updated : existing)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }
  return (
    <div className="flex flex-col gap-2">
      {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
      <Table className="max-w-4xl" aria-label="Plans">
        <TableHead>
          <TableRow>
            <TableHeader>Plan</TableHeader>
            {NUMBER_FIELDS.map(([, label]) => <TableHeader key={label}>{label}</TableHeader>)}
            <TableHeader>Relax</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {plans.map((plan) => (
            <TableRow key={plan.id}>
              <TableCell>{plan.name}</TableCell>
              {NUMBER_FIELDS.map(([field, label, step]) => (
                <TableCell key={field}>
                  <input type="number" aria-label={`${label} of ${plan.name}`} defaultValue={plan[field]} step={step} min={0}
                    onBlur={(event) => {
                      const value = Number(event.target.value);
                      if (value !== plan[field]) void save(plan, { [field]: value });
                    }}
                    className="w-24 rounded-md border border-ink-700 bg-ink-900 px-2 py-1" />
                </TableCell>
              ))}
              <TableCell>
                <input type="checkbox" aria-label={`Relax on ${plan.name}`} checked={plan.relaxAllowed} onChange={(event) => void save(plan, { relaxAllowed: event.target.checked })} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <p className="text-xs text-ink-300">Fast hours apply from each user&apos;s next monthly period; caps apply at once.</p>
    </div>
  );
}
