"use client";

import { useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Switch } from "./ui/switch";

/** The user's choice: when fast time runs out, run new jobs in Relax rather than refusing them. */
export function AutoRelaxToggle({ initial, relaxAllowed }: { initial: boolean; relaxAllowed: boolean }) {
  const [isOn, setOn] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  async function toggle() {
    setError(null);
    try {
      const usage = await callApi(endpoints.updateMySettings, { body: { autoRelax: !isOn } });
      setOn(usage.autoRelax);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }
  return (
    <div className="flex items-center justify-between gap-4 rounded-lg border border-ink-800 p-3 text-sm">
      <span id="auto-relax-label">
        Run in Relax when fast time runs out
        {!relaxAllowed && <span className="block text-xs text-ink-300">Your plan has no Relax mode.</span>}
        {error && <span role="alert" className="block text-xs text-red-300">{error}</span>}
      </span>
      <Switch checked={isOn} onCheckedChange={() => void toggle()} aria-labelledby="auto-relax-label" disabled={!relaxAllowed} />
    </div>
  );
}
