"use client";

import { useId, useState } from "react";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";

interface RemixDialogProps {
  /** The action, as its button reads ("Vary (Strong)", "Zoom Out 2×"). */
  action: string;
  initialPrompt: string;
  onClose: () => void;
  /** Runs the action with the prompt; throws the refusal to show. */
  onSubmit: (prompt: string) => Promise<void>;
}

/**
 * Remix (docs/editor.md §8): with the switch on, Vary, Zoom Out, Pan and
 * Make Square ask for the prompt first, so the words can change on the way.
 */
export function RemixDialog({ action, initialPrompt, onClose, onSubmit }: RemixDialogProps) {
  const [prompt, setPrompt] = useState(initialPrompt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(prompt.trim());
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Remix: ${action}`} description="Change the prompt, then submit.">
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={fieldId} className="text-ink-300">Prompt</label>
        <textarea
          id={fieldId}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={(event) => {
            // Enter submits, as in the imagine bar; Shift+Enter starts a new line.
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
          rows={4}
          maxLength={6000}
          className="rounded-lg border border-ink-700 bg-ink-950 p-2 text-ink-100"
        />
        {error && <p role="alert" className="text-red-300">{error}</p>}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="ghost">Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" disabled={busy || !prompt.trim()}>
            {busy ? "Submitting…" : action}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
