"use client";

import { useId, useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { MAX_POLICY_TERMS } from "@/lib/schemas/moderation";
import type { TTeamDetail } from "@/lib/schemas/teams";
import { Button } from "../ui/button";
import { useToast } from "../ui/toast";

function termsOf(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
}

/** A team's own blocked terms, one per line; checked with the studio's for its members only. */
export function TeamPolicyEditor({ team, onSaved }: { team: TTeamDetail; onSaved: (team: TTeamDetail) => void }) {
  const [text, setText] = useState(team.policy.terms.join("\n"));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const fieldId = useId();
  const helpId = useId();
  const isDirty = termsOf(text).join("\n") !== team.policy.terms.join("\n");

  function save() {
    setSaving(true);
    setError(null);
    callApi(endpoints.updateTeamPolicy, { params: { id: team.id }, body: { terms: termsOf(text) } })
      .then((updated) => {
        onSaved(updated);
        setText(updated.policy.terms.join("\n"));
        toast({ message: `Saved ${updated.policy.terms.length} term${updated.policy.terms.length === 1 ? "" : "s"} for ${updated.name}.` });
      })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setSaving(false));
  }

  return (
    <div className="flex max-w-2xl flex-col gap-3">
      <label htmlFor={fieldId} className="text-sm font-medium">Blocked words and phrases for {team.name}</label>
      <p id={helpId} className="text-sm text-ink-300">
        One per line, on top of the studio&apos;s policy, for this team&apos;s members only. Matching is the studio&apos;s (whole words, any case,
        accents and look-alikes folded). A refusal tells the member it was their team&apos;s policy. At most {MAX_POLICY_TERMS} terms.
      </p>
      <textarea id={fieldId} aria-describedby={helpId} value={text} onChange={(event) => setText(event.target.value)} rows={6} spellCheck={false}
        className="w-full rounded-md border border-ink-700 bg-ink-900 px-3 py-2 font-mono text-sm" />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={save} disabled={saving || !isDirty}>{saving ? "Saving…" : "Save team policy"}</Button>
        <span className="text-xs text-ink-300">
          {team.policy.terms.length} term{team.policy.terms.length === 1 ? "" : "s"}
          {team.policy.updatedAt ? ` · last changed ${team.policy.updatedAt.slice(0, 16).replace("T", " ")} UTC` : " · never changed"}
        </span>
      </div>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
    </div>
  );
}
