"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/create", label: "Create", icon: "✦" },
  { href: "/draft", label: "Draft", icon: "✎" },
  { href: "/organize", label: "Organize", icon: "▦" },
  { href: "/personalize", label: "Personalize", icon: "◐" },
] as const;

/** Left rail on wide screens, bottom bar on phones. */
export function SideNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const links = isAdmin ? [...LINKS, { href: "/admin", label: "Admin", icon: "⚙" } as const] : LINKS;
  return (
    <nav aria-label="Studio" className="flex gap-1 md:flex-col">
      {links.map((link) => {
        const isActive = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={isActive ? "page" : undefined}
            className={`flex min-w-0 flex-1 flex-col items-center gap-0.5 rounded-lg px-1 py-2 text-[11px] md:flex-none md:flex-row md:gap-3 md:px-3 md:text-sm ${
              isActive ? "bg-ink-800 text-ink-100" : "text-ink-300 hover:bg-ink-900 hover:text-ink-100"
            }`}
          >
            <span aria-hidden className="text-base">{link.icon}</span>
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
