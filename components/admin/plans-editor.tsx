"use client";

import { useState } from "react";
import type { TPlan } from "@/lib/schemas/usage";
import { apiFetch } from "../api-fetch";

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
  async function save(plan: TPlan, changes: Partial<TPlan>) {
    setError(null);
    try {
      const updated = await apiFetch<TPlan>(`/api/v1/admin/plans/${plan.id}`, { method: "PATCH", body: changes });
      setPlans((current) => current.map((existing) => (existing.id === updated.id ? updated : existing)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }
  return (
    <div className="flex flex-col gap-2">
      {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
      <table className="w-full max-w-4xl text-left text-sm" aria-label="Plans">
        <thead className="text-ink-300">
          <tr>
            <th scope="col" className="py-1 pr-3 font-normal">Plan</th>
            {NUMBER_FIELDS.map(([, label]) => <th key={label} scope="col" className="py-1 pr-3 font-normal">{label}</th>)}
            <th scope="col" className="py-1 pr-3 font-normal">Relax</th>
          </tr>
        </thead>
        <tbody>
          {plans.map((plan) => (
            <tr key={plan.id}>
              <td className="py-1 pr-3">{plan.name}</td>
              {NUMBER_FIELDS.map(([field, label, step]) => (
                <td key={field} className="py-1 pr-3">
                  <input type="number" aria-label={`${label} of ${plan.name}`} defaultValue={plan[field]} step={step} min={0}
                    onBlur={(event) => {
                      const value = Number(event.target.value);
                      if (value !== plan[field]) void save(plan, { [field]: value });
                    }}
                    className="w-24 rounded-md border border-ink-700 bg-ink-900 px-2 py-1" />
                </td>
              ))}
              <td className="py-1 pr-3">
                <input type="checkbox" aria-label={`Relax on ${plan.name}`} checked={plan.relaxAllowed} onChange={(event) => void save(plan, { relaxAllowed: event.target.checked })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-ink-500">Fast hours apply from each user&apos;s next monthly period; caps apply at once.</p>
    </div>
  );
}
