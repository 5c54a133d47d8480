"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth/client";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/limits";
import { Button } from "./ui/button";
import { Dialog, DialogClose } from "./ui/dialog";

const INPUT = "rounded-lg border border-ink-700 bg-ink-900 px-3 py-2.5 text-ink-100";
/** What a person types to confirm, so a stray click on a filled form never deletes everything. */
const CONFIRM_WORDS = "delete my account";

function PasswordField({ name, label, autoComplete }: { name: string; label: string; autoComplete: "current-password" | "new-password" }) {
  return (
    <label className="flex flex-col gap-1.5 text-sm text-ink-300">
      {label}
      <input name={name} type="password" required minLength={autoComplete === "new-password" ? MIN_PASSWORD_LENGTH : 1} maxLength={MAX_PASSWORD_LENGTH} autoComplete={autoComplete} className={INPUT} />
    </label>
  );
}

/** Change password: the current one, the new one twice; other devices are signed out. */
function ChangePassword() {
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("new") ?? "");
    if (newPassword !== String(form.get("repeat") ?? "")) {
      setStatus({ ok: false, message: "The two new passwords differ; type the same one twice." });
      return;
    }
    setPending(true);
    const result = await authClient.changePassword({ currentPassword: String(form.get("current") ?? ""), newPassword, revokeOtherSessions: true });
    setPending(false);
    if (result.error) {
      setStatus({ ok: false, message: result.error.message ?? "That did not work; check your current password." });
      return;
    }
    formElement.reset();
    setStatus({ ok: true, message: "Password changed. Other devices were signed out." });
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="password-heading" className="flex max-w-sm flex-col gap-3">
      <h3 id="password-heading" className="font-medium">Change password</h3>
      <PasswordField name="current" label="Current password" autoComplete="current-password" />
      <PasswordField name="new" label={`New password (at least ${MIN_PASSWORD_LENGTH} characters)`} autoComplete="new-password" />
      <PasswordField name="repeat" label="New password again" autoComplete="new-password" />
      {status && <p role={status.ok ? "status" : "alert"} className={`text-sm ${status.ok ? "text-emerald-300" : "text-red-300"}`}>{status.message}</p>}
      <Button type="submit" variant="outline" disabled={pending} className="self-start">{pending ? "Changing…" : "Change password"}</Button>
    </form>
  );
}

/** Delete my account: a dialog that says what goes, asks for the password and the words, then signs out. */
function DeleteAccount() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (String(form.get("confirm") ?? "").trim().toLowerCase() !== CONFIRM_WORDS) {
      setError(`Type “${CONFIRM_WORDS}” to confirm.`);
      return;
    }
    setPending(true);
    setError(null);
    const result = await authClient.deleteUser({ password: String(form.get("password") ?? "") });
    setPending(false);
    if (result.error) {
      setError(result.error.message ?? "That did not work; check your password.");
      return;
    }
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <div className="flex max-w-sm flex-col gap-3">
      <h3 className="font-medium">Delete my account</h3>
      <p className="text-sm text-ink-300">Removes your account with all your images, uploads, jobs, folders, drafts, profiles and API tokens. This cannot be undone.</p>
      <Button variant="outline" className="self-start border-red-400/60 text-red-200" onClick={() => { setError(null); setOpen(true); }}>Delete my account…</Button>
      <Dialog open={open} onOpenChange={setOpen} title="Delete your account?" description="Everything you made in this studio is removed for good: images, uploads, jobs, folders, drafts, profiles and API tokens.">
        <form onSubmit={onSubmit} className="flex flex-col gap-3">
          <PasswordField name="password" label="Your password" autoComplete="current-password" />
          <label className="flex flex-col gap-1.5 text-sm text-ink-300">
            Type “{CONFIRM_WORDS}”
            <input name="confirm" required autoComplete="off" className={INPUT} />
          </label>
          {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
          <div className="flex justify-end gap-2">
            <DialogClose asChild><Button variant="ghost">Keep my account</Button></DialogClose>
            <Button type="submit" variant="primary" disabled={pending} className="bg-red-600 hover:bg-red-500">{pending ? "Deleting…" : "Delete everything"}</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}

/** The Account page's sign-in section: change password, delete the account. */
export function AccountSecurity() {
  return (
    <section aria-labelledby="security-heading" className="mt-10 flex flex-col gap-6">
      <h2 id="security-heading" className="text-lg font-medium">Sign-in and account</h2>
      <div className="flex flex-col gap-10 md:flex-row">
        <ChangePassword />
        <DeleteAccount />
      </div>
    </section>
  );
}
