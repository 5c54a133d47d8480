"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { authClient } from "@/lib/auth/client";

export function AccountMenu({ email, plan }: { email: string; plan: string | null }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    const onClick = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <div ref={menuRef} className="relative shrink-0">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm text-ink-300 hover:bg-ink-900"
      >
        <span aria-hidden className="grid h-7 w-7 shrink-0 place-items-center rounded-full bg-ink-700 text-xs uppercase">
          {email.slice(0, 1)}
        </span>
        <span className="hidden min-w-0 flex-col md:flex">
          <span className="truncate text-ink-100">{email}</span>
          {plan && <span className="text-xs text-ink-500">{plan} plan</span>}
        </span>
      </button>
      {open && (
        <div role="menu" className="absolute bottom-full right-0 z-20 mb-2 w-48 rounded-lg border border-ink-700 bg-ink-900 p-1 shadow-xl md:left-0">
          <Link role="menuitem" href="/account" onClick={() => setOpen(false)} className="block rounded-md px-3 py-2 text-sm hover:bg-ink-800">
            Account &amp; usage
          </Link>
          <Link role="menuitem" href="/settings" onClick={() => setOpen(false)} className="block rounded-md px-3 py-2 text-sm hover:bg-ink-800">
            Settings
          </Link>
          <button role="menuitem" type="button" onClick={signOut} className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-ink-800">
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
