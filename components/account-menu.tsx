"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { authClient } from "@/lib/auth/client";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "./ui/menu";

export function AccountMenu({ email, plan }: { email: string; plan: string | null }) {
  const router = useRouter();

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <Menu>
      <MenuTrigger asChild>
        <button type="button" className="flex shrink-0 items-center gap-2 rounded-lg px-3 py-2 text-left text-sm text-ink-300 hover:bg-ink-900 data-[state=open]:bg-ink-900 md:w-full">
          <span aria-hidden className="grid h-7 w-7 shrink-0 place-items-center rounded-full bg-ink-700 text-xs uppercase text-ink-100">
            {email.slice(0, 1)}
          </span>
          <span className="hidden min-w-0 flex-col md:flex">
            <span className="truncate text-ink-100">{email}</span>
            {plan && <span className="text-xs text-ink-300">{plan} plan</span>}
          </span>
          {/* On a phone only the initial shows; the button is still named by the email. (Not aria-label: that would
              make it a label, and an email containing "prompt" would then match the prompt box's label.) */}
          <span className="sr-only md:hidden">{email}</span>
        </button>
      </MenuTrigger>
      <MenuContent side="top" align="end">
        <MenuItem asChild>
          <Link href="/account">Account &amp; usage</Link>
        </MenuItem>
        <MenuItem asChild>
          <Link href="/settings">Settings</Link>
        </MenuItem>
        <MenuItem onSelect={() => void signOut()}>Sign out</MenuItem>
      </MenuContent>
    </Menu>
  );
}
