"use client";

import { useId, useState } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { MAX_POLICY_TERMS } from "@/lib/schemas/moderation";
import type { TPromptPolicy } from "@/lib/schemas/moderation";
import { Button } from "../ui/button";

function termsOf(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
}

/**
 * The prompt policy's blocked words and phrases, one per line. Saving
 * replaces the list; the server folds case, accents and look-alikes, and
 * keeps one of terms that fold the same.
 */
export function ModerationPolicyEditor({ policy: initial }: { policy: TPromptPolicy }) {
  const [policy, setPolicy] = useState(initial);
  const [text, setText] = useState(initial.terms.join("\n"));
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const helpId = useId();
  const isDirty = termsOf(text).join("\n") !== policy.terms.join("\n");

  async function save() {
    setSaving(true);
    setError(null);
    setStatus(null);
    try {
      const saved = await callApi(endpoints.updatePromptPolicy, { body: { terms: termsOf(text) } });
      setPolicy(saved);
      setText(saved.terms.join("\n"));
      setStatus(`Saved: ${saved.terms.length} blocked term${saved.terms.length === 1 ? "" : "s"}. Prompts are checked against it from now on.`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="flex max-w-2xl flex-col gap-3">
      <label htmlFor={fieldId} className="text-sm font-medium">Blocked words and phrases</label>
      <p id={helpId} className="text-sm text-ink-300">
        One per line. Every prompt, Draft message and API request is checked before it is queued: whole words only, ignoring case
        and accents, and reading look-alikes such as 0→o, 1→i or l, 3→e, 4→a, 5→s, @→a and $→s as letters. A refused prompt is not
        charged and is recorded in the audit log. At most {MAX_POLICY_TERMS} terms.
      </p>
      <textarea
        id={fieldId}
        aria-describedby={helpId}
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={8}
        spellCheck={false}
        className="w-full rounded-md border border-ink-700 bg-ink-900 px-3 py-2 font-mono text-sm"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={() => void save()} disabled={saving || !isDirty}>
          {saving ? "Saving…" : "Save policy"}
        </Button>
        <span className="text-xs text-ink-300">
          {policy.terms.length} term{policy.terms.length === 1 ? "" : "s"}
          {policy.updatedAt ? ` · last changed ${policy.updatedAt.slice(0, 16).replace("T", " ")} UTC` : " · never changed"}
        </span>
      </div>
      <p role="status" className="text-sm text-ink-200">{status}</p>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
    </div>
  );
}
